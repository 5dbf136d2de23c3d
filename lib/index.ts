export * from './xray-permissions';
export * from './dependency-layer';
