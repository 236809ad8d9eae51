class BaseSampler: pass
class TPESampler(BaseSampler):
    def __init__(self, *a, **k): raise NotImplementedError("optuna stub")
class PartialFixedSampler(BaseSampler):
    def __init__(self, *a, **k): raise NotImplementedError("optuna stub")
