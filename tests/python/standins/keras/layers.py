class Dense:
    def __init__(self, units, name=None):
        self.units = units
        self.name = name or "dense"
