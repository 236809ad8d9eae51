# minimal stub of optuna for importing mfglib (never called)
class Trial: pass
class Study: pass
def create_study(*a, **k): raise NotImplementedError("optuna stub")
from . import samplers, exceptions
