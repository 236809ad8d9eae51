def pretty_repr(x, **k): return repr(x)
