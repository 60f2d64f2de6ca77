import json
import zipfile

import numpy as np


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    from .models import Sequential
    from .layers import Dense
    with zipfile.ZipFile(filepath) as archive:
        config = json.loads(archive.read("config.json"))
        weights = json.loads(archive.read("model.weights.json"))
    model = Sequential([Dense(config["units"])], name=config["name"])
    model._weights = np.asarray(weights["weights"])
    model._bias = weights["bias"]
    return model
