class SGD:
    def __init__(self, learning_rate=0.01, momentum=0.0, name="SGD"):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.name = name

    def get_config(self):
        return {"name": self.name, "learning_rate": self.learning_rate, "momentum": self.momentum,
                "nesterov": False}


def get(identifier):
    return SGD() if identifier == "sgd" else identifier
