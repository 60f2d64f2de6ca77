# SPDX-License-Identifier: MIT
"""Turning what training code has (a path, bytes, a NumPy array, a PIL image,
a matplotlib figure, rows or columns, labels) into what the C ABI logs.
Neither NumPy nor PIL is required: each is used only when the value is one of
theirs. Internal; Run.log_image and friends are the API."""
import csv
import io
import os


class MediaInputError(TypeError):
    pass


def _is_array(value):
    return hasattr(value, "__array_interface__") and hasattr(value, "shape") and hasattr(value, "dtype")


def image_input(image):
    """("encoded", bytes) or ("pixels", (array, height, width, channels)),
    the array C-contiguous uint8, kept alive by the caller for the call."""
    if isinstance(image, (str, os.PathLike)):
        with open(image, "rb") as fh:
            return "encoded", fh.read()
    if isinstance(image, (bytes, bytearray, memoryview)):
        return "encoded", bytes(image)
    if _is_array(image):
        import numpy as np
        arr = np.asarray(image)
        if arr.ndim == 3 and arr.shape[2] == 1:
            arr = arr[:, :, 0]
        if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (2, 3, 4)):
            raise MediaInputError(f"an image array is H x W, H x W x 3 or H x W x 4, not {arr.shape}")
        if arr.dtype == np.bool_:
            arr = arr.astype(np.uint8) * 255
        elif arr.dtype.kind == "f":
            # MLflow's convention: floats are in [0, 1].
            arr = (np.clip(np.nan_to_num(arr), 0.0, 1.0) * 255.0).round().astype(np.uint8)
        elif arr.dtype != np.uint8:
            if arr.size and (arr.min() < 0 or arr.max() > 255):
                raise MediaInputError("an integer image array holds values 0 to 255")
            arr = arr.astype(np.uint8)
        arr = np.ascontiguousarray(arr)
        channels = 1 if arr.ndim == 2 else arr.shape[2]
        return "pixels", (arr, arr.shape[0], arr.shape[1], channels)
    if hasattr(image, "save") and hasattr(image, "mode"):  # a PIL image
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        return "encoded", buf.getvalue()
    if hasattr(image, "savefig"):
        return "encoded", figure_bytes(image, "png")
    raise MediaInputError(f"cannot log a {type(image).__name__} as an image: give a path, PNG/JPEG bytes, "
                          "a NumPy array or a PIL image")


def figure_bytes(figure, fmt):
    buf = io.BytesIO()
    figure.savefig(buf, format=fmt, bbox_inches="tight")
    return buf.getvalue()


def table_csv(data):
    """CSV of a DataFrame, a dict of columns, a list of dicts, or a list of
    rows whose first row is the header."""
    if hasattr(data, "to_csv") and hasattr(data, "columns"):
        return data.to_csv(index=False)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if isinstance(data, dict):
        columns = list(data)
        values = [list(data[c]) for c in columns]
        lengths = {len(v) for v in values}
        if len(lengths) > 1:
            raise MediaInputError("the columns of a table have different lengths: " + str(sorted(lengths)))
        writer.writerow(columns)
        writer.writerows(zip(*values))
    else:
        rows = list(data)
        if rows and isinstance(rows[0], dict):
            columns = list(dict.fromkeys(k for row in rows for k in row))
            writer.writerow(columns)
            writer.writerows([row.get(c, "") for c in columns] for row in rows)
        else:
            writer.writerows(rows)
    return out.getvalue()


def confusion_counts(y_true, y_pred, labels=None):
    """(labels, counts row by row): rows are the true label, columns the
    predicted one, as scikit-learn's confusion_matrix."""
    truth = [_plain(v) for v in y_true]
    pred = [_plain(v) for v in y_pred]
    if len(truth) != len(pred):
        raise MediaInputError(f"y_true has {len(truth)} values and y_pred {len(pred)}")
    if labels is None:
        labels = sorted(set(truth) | set(pred), key=lambda v: (str(type(v)), v))
    labels = [_plain(v) for v in labels]
    index = {v: i for i, v in enumerate(labels)}
    n = len(labels)
    counts = [0] * (n * n)
    for t, p in zip(truth, pred):
        if t in index and p in index:
            counts[index[t] * n + index[p]] += 1
    return [str(v) for v in labels], counts


def _plain(value):
    # NumPy scalars to Python ones, so 1 and np.int64(1) are one label.
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


_TEXT_FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".md": "md", ".py": "py", ".txt": "txt",
                 ".html": "html", ".xml": "xml", ".ini": "ini", ".toml": "toml", ".log": "txt", ".csv": "csv"}


def text_format(name, given=None):
    if given:
        return given
    return _TEXT_FORMATS.get(os.path.splitext(name)[1].lower(), "txt")
