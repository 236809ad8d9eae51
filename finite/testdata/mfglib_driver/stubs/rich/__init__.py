# stub of rich (only used when verbose=True)
def print(*a, **k): raise NotImplementedError("rich stub")
from . import console, panel, pretty, table, text
box = None
