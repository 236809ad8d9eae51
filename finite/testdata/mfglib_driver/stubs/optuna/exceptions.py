class ExperimentalWarning(Warning): pass
