"""Small readers of Python's `ast` nodes for xray_usage.py: names as written, string lists, attribute paths."""
import ast


def is_xray_qual(qual):
    return qual == "aws_xray_sdk" or qual.startswith("aws_xray_sdk.")


def unparse(node):
    try:
        return ast.unparse(node)  # Python 3.9+
    except AttributeError:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            return unparse(node.value) + "." + node.attr
        if isinstance(node, ast.Call):
            return unparse(node.func) + "(...)"
        if isinstance(node, ast.Import):
            return "import " + ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in node.names)
        if isinstance(node, ast.ImportFrom):
            names = ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in node.names)
            return "from %s%s import %s" % ("." * node.level, node.module or "", names)
        return "<expr>"


def string_list(node):
    """The strings of a list/tuple/set literal of string constants, or None."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return values if len(values) == len(node.elts) else None
    return None


def attribute_path(node):
    """`self.recorder` for an attribute chain of plain names, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))
