export * from './xray-permissions';
export * from './dependency-layer';
export * from './bundling/bundling-strategy';
export * from './bundling/pip-options';
export * from './tracing-aspect';
export * from './nag/tracing-checks';
export * from './local-trace';
