"""hw2kit: from an EE 046211 HW2 notebook to the submission the course grades.

One module, handed out with the homework. Python 3.9 or newer, the standard library and
numpy; PyTorch when models are exported (Colab has it). In the notebook:

    import hw2kit
    sub = hw2kit.Submission(ids=["123456782", "234567891"], names=["Dana Levi", "Noa Cohen"])
    sub.q2(forward={"h1": ..., "E": ...}, gradients={"w1": ...}, updated={"w1": ...})
    sub.task1_sample("xavier", xavier_init(128, 64))      # a (fan_out, fan_in) weight
    sub.task2(model, preprocessing={"scale": 1 / 255}, history=history, claimed={"testAccuracy": acc})
    sub.save()                                   # hw2.json, .npy, ONNX models, histories
    sub.pack(notebook="ee046211_hw2_123456782_234567891.ipynb")   # the zip to upload

Each call checks what it can at once and says what is wrong in the words of the contract
(`hw2 schema` prints it): "answers.q2.gradients.w11: unknown field (expected w1..w10, b1, b2)".
Models are exported with torch.onnx.export (a dynamic batch axis, input "input", output
"logits") and run once more from the ONNX file on a few inputs to confirm it gives the same
logits as torch (with onnxruntime when installed, else with the small numpy interpreter
below, which knows the layers these networks use).

`save()` also displays the answers as a notebook output of type ANSWERS_MIME: a notebook
handed in alone still carries its hw2.json, and the harness reads it from there.
"""

from __future__ import annotations

import copy
import inspect
import json
import math
import os
import re
import zipfile
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

__all__ = ["Submission", "SubmissionError", "ANSWERS_MIME", "CONTRACT"]

CONTRACT = 1
ANSWERS_MIME = "application/vnd.ee046211.hw2+json"
COURSE_PREFIX = "ee046211_hw2"

Q2_PARAMS = ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10", "b1", "b2"]
Q2_FORWARD = ["h1", "h2", "o1", "o2", "E"]
DD_TYPES = ["model-wise", "epoch-wise", "sample-wise"]
Q5_INVARIANCES = ["hidden-permutation", "positive-rescaling", "sign-flip", "input-permutation"]
Q5_SCALE_EFFECTS = ["none", "flips-sign", "depends-on-c"]
INITS = ["xavier", "kaiming"]
LAYOUTS = ["flat", "NHWC", "NCHW"]
MEAN_STD_ITEMS = ["scaled", "tanh", "xavierTanh", "kaimingRelu", "xavierRelu"]
# Logits of torch and of the ONNX file agree to this (float32 through a few layers).
LOGIT_TOLERANCE = 1e-4


class SubmissionError(ValueError):
    """A value the contract does not accept; the message names the field and what was expected."""


# ---------------------------------------------------------------------------------------------
# Values in the contract's words


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'…' if len(text) > 60 else ''}"


def _number(value: Any, field: str) -> float:
    """A finite number: Python, numpy or a one-element torch tensor."""
    if hasattr(value, "numel") and callable(value.numel):  # a torch tensor of one element
        if value.numel() == 1:
            value = value.item()
    elif isinstance(value, np.generic) or (isinstance(value, np.ndarray) and value.size == 1):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise SubmissionError(f"{field}: expected number, found {_describe(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise SubmissionError(f"{field}: expected a finite number, found {number}")
    return int(value) if isinstance(value, (int, np.integer)) else number


def _integer(value: Any, field: str, minimum: int = 0) -> int:
    number = _number(value, field)
    if number != int(number) or number < minimum:
        raise SubmissionError(f"{field}: expected an integer ≥ {minimum}, found {number}")
    return int(number)


def _text(value: Any, field: str, limit: int = 100_000) -> str:
    if not isinstance(value, str):
        raise SubmissionError(f"{field}: expected text (a string), found {_describe(value)}")
    if len(value) > limit:
        raise SubmissionError(f"{field}: {len(value)} characters, more than the {limit} allowed")
    return value


def _choice(value: Any, field: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise SubmissionError(f"{field}: expected one of {', '.join(allowed)}, found {_describe(value)}")
    return value


def _fields(given: Mapping[str, Any], field: str, allowed: Sequence[str]) -> None:
    if not isinstance(given, Mapping):
        raise SubmissionError(f"{field}: expected an object (a dict), found {_describe(given)}")
    for key in given:
        if key not in allowed:
            raise SubmissionError(f"{field}.{key}: unknown field (expected {', '.join(allowed)})")


def _numbers(given: Optional[Mapping[str, Any]], field: str, allowed: Sequence[str], required: Sequence[str] = ()) -> Optional[Dict[str, float]]:
    if given is None:
        return None
    _fields(given, field, allowed)
    for key in required:
        if key not in given:
            raise SubmissionError(f"{field}.{key}: missing (required)")
    return {k: _number(v, f"{field}.{k}") for k, v in given.items() if v is not None}


def _array(value: Any) -> np.ndarray:
    """A torch tensor (any device, with or without grad) or anything numpy takes, as an ndarray."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def _prune(doc: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in doc.items() if v is not None}


def _safe_name(name: str, field: str) -> str:
    if not re.fullmatch(r"[\w.-]+", name):
        raise SubmissionError(f"{field}: {name!r} is not a plain file name (letters, digits, '_', '.', '-')")
    return name


# ---------------------------------------------------------------------------------------------
# The submission


class Submission:
    """The pair's answers, files and models, written as the contract says (`hw2 schema`)."""

    def __init__(self, ids: Sequence[str], names: Optional[Sequence[str]] = None, folder: str = "hw2_submission"):
        if isinstance(ids, str) or not isinstance(ids, Sequence) or not 1 <= len(ids) <= 2:
            raise SubmissionError(f"group.ids: expected a list of one or two ids, found {_describe(ids)}")
        ids = [str(i) for i in ids]
        for i, value in enumerate(ids):
            if not re.fullmatch(r"[0-9A-Za-z_-]{1,32}", value):
                raise SubmissionError(f"group.ids[{i}]: {value!r} is not an id (letters, digits, '_' or '-', at most 32)")
            if not re.fullmatch(r"\d{9}", value):
                print(f"hw2kit: note: group.ids[{i}] {value!r} is not a 9-digit id (the course's ids are)")
        if names is not None and (isinstance(names, str) or len(names) > 2):
            raise SubmissionError(f"group.names: expected a list of at most two names, found {_describe(names)}")
        self.group: Dict[str, Any] = {"ids": ids, **({"names": [_text(n, "group.names", 200) for n in names]} if names else {})}
        self.folder = folder
        self.answers: Dict[str, Any] = {}
        # What save() writes besides hw2.json (the ONNX files are written at once, by the call that names them).
        self._arrays: Dict[str, np.ndarray] = {}
        self._models: Dict[str, Tuple[str, Tuple[int, ...], int]] = {}
        self._histories: Dict[str, Any] = {}

    @property
    def stem(self) -> str:
        """The course's file name without extension: ee046211_hw2_<id1>_<id2>."""
        return "_".join([COURSE_PREFIX, *self.group["ids"]])

    # -- questions -----------------------------------------------------------------------------

    def q1(self, proof: Optional[str] = None) -> "Submission":
        self.answers["q1"] = _prune({"proof": None if proof is None else _text(proof, "answers.q1.proof")})
        return self

    def q2(self, forward: Optional[Mapping[str, Any]] = None, gradients: Optional[Mapping[str, Any]] = None,
           updated: Optional[Mapping[str, Any]] = None, work: Optional[str] = None) -> "Submission":
        self.answers["q2"] = _prune({
            "forward": _numbers(forward, "answers.q2.forward", Q2_FORWARD, required=["E"]),
            "gradients": _numbers(gradients, "answers.q2.gradients", Q2_PARAMS),
            "updated": _numbers(updated, "answers.q2.updated", Q2_PARAMS),
            "work": None if work is None else _text(work, "answers.q2.work"),
        })
        return self

    def q3(self, a: Optional[Mapping[str, Any]] = None, b: Optional[Mapping[str, Any]] = None,
           c: Optional[Mapping[str, Any]] = None) -> "Submission":
        part: Dict[str, Any] = {}
        for plot, given in (("a", a), ("b", b), ("c", c)):
            if given is None:
                continue
            field = f"answers.q3.{plot}"
            _fields(given, field, ["criticalPoint", "type", "explanation"])
            part[plot] = _prune({
                "criticalPoint": None if given.get("criticalPoint") is None else _number(given["criticalPoint"], f"{field}.criticalPoint"),
                "type": None if given.get("type") is None else _choice(given["type"], f"{field}.type", DD_TYPES),
                "explanation": None if given.get("explanation") is None else _text(given["explanation"], f"{field}.explanation"),
            })
        self.answers["q3"] = part
        return self

    def q4(self, expectation: Any = None, sigma: Union[str, float, None] = None, proof: Optional[str] = None) -> "Submission":
        if sigma is not None and not isinstance(sigma, str):
            sigma = _number(sigma, "answers.q4.sigma")
        self.answers["q4"] = _prune({
            "expectation": None if expectation is None else _number(expectation, "answers.q4.expectation"),
            "sigma": None if sigma is None else (_text(sigma, "answers.q4.sigma", 200) if isinstance(sigma, str) else sigma),
            "proof": None if proof is None else _text(proof, "answers.q4.proof"),
        })
        return self

    def q5(self, invariances: Optional[Iterable[str]] = None, reversal: Optional[Mapping[str, Any]] = None,
           complement: Optional[Mapping[str, Any]] = None, scaleEffect: Optional[str] = None, **texts: str) -> "Submission":
        text_fields = ["invariancesExplanation", "reversalConstraints", "complementConstraints", "scaleTraining", "scaleImprovement"]
        _fields(texts, "answers.q5", ["invariances", "reversal", "complement", "scaleEffect", *text_fields])
        part: Dict[str, Any] = {k: _text(v, f"answers.q5.{k}") for k, v in texts.items() if v is not None}
        if invariances is not None:
            part["invariances"] = [_choice(v, f"answers.q5.invariances[{i}]", Q5_INVARIANCES) for i, v in enumerate(invariances)]
        for name, params in (("reversal", reversal), ("complement", complement)):
            if params is not None:
                part[name] = _q5_params(params, f"answers.q5.{name}")
        if scaleEffect is not None:
            part["scaleEffect"] = _choice(scaleEffect, "answers.q5.scaleEffect", Q5_SCALE_EFFECTS)
        self.answers["q5"] = part
        return self

    def q6(self, rows: Optional[Iterable[Mapping[str, Any]]] = None, total: Any = None, fcWeightPercent: Any = None) -> "Submission":
        part: Dict[str, Any] = {}
        if rows is not None:
            part["rows"] = []
            for i, row in enumerate(rows):
                field = f"answers.q6.rows[{i}]"
                _fields(row, field, ["layer", "output", "params"])
                if "output" not in row or "params" not in row:
                    raise SubmissionError(f"{field}: expected output and params (and layer), found {', '.join(row) or 'nothing'}")
                output = row["output"]
                if isinstance(output, str):
                    output = _text(output, f"{field}.output", 40)
                else:
                    output = [_integer(d, f"{field}.output[{j}]") for j, d in enumerate(output)]
                    if not 1 <= len(output) <= 4:
                        raise SubmissionError(f"{field}.output: expected 1 to 4 dimensions, found {len(output)}")
                part["rows"].append(_prune({
                    "layer": None if row.get("layer") is None else _text(row["layer"], f"{field}.layer", 40),
                    "output": output, "params": _integer(row["params"], f"{field}.params"),
                }))
        if total is not None:
            part["total"] = _integer(total, "answers.q6.total")
        if fcWeightPercent is not None:
            part["fcWeightPercent"] = _number(fcWeightPercent, "answers.q6.fcWeightPercent")
        self.answers["q6"] = part
        return self

    # -- Task 1 --------------------------------------------------------------------------------

    def task1(self, nanLayer: Any = None, products: Optional[Mapping[str, Any]] = None,
              explanations: Optional[Mapping[str, str]] = None, **items: Mapping[str, Any]) -> "Submission":
        """The values the notebook printed: task1(nanLayer=28, products={"mean": .., "std": .., "sqrtN": ..}, scaled={"mean": .., "std": ..}, ...)."""
        if "samples" in items:
            raise SubmissionError("answers.task1.samples: give each sample with task1_sample(init, weight); it saves the .npy and names it here")
        _fields(items, "answers.task1", ["nanLayer", "products", "explanations", *MEAN_STD_ITEMS])
        part = self.answers.setdefault("task1", {})
        if nanLayer is not None:
            part["nanLayer"] = _integer(nanLayer, "answers.task1.nanLayer")
        if products is not None:
            part["products"] = _numbers(products, "answers.task1.products", ["mean", "std", "sqrtN"], required=["mean", "std"])
        for name, given in items.items():
            if given is not None:
                part[name] = _numbers(given, f"answers.task1.{name}", ["mean", "std"], required=["mean", "std"])
        if explanations is not None:
            _fields(explanations, "answers.task1.explanations", ["item1", "item4", "item6"])
            part["explanations"] = {k: _text(v, f"answers.task1.explanations.{k}") for k, v in explanations.items()}
        return self

    def task1_sample(self, init: str, weight: Any, fan_in: Optional[int] = None, fan_out: Optional[int] = None) -> "Submission":
        """A weight your xavier_init / kaiming_init made, shape (fan_out, fan_in) as torch lays a Linear's weight out."""
        _choice(init, "answers.task1.samples[].init", INITS)
        array = _array(weight)
        if array.ndim != 2 and (fan_in is None or fan_out is None):
            raise SubmissionError(f"answers.task1.samples ({init}): expected a 2-D weight (fan_out, fan_in), found shape {array.shape}; or give fan_in and fan_out")
        fan_out = int(fan_out if fan_out is not None else array.shape[0])
        fan_in = int(fan_in if fan_in is not None else array.shape[1])
        if array.size != fan_in * fan_out:
            raise SubmissionError(f"answers.task1.samples ({init}): {array.size} values; expected fan_out × fan_in = {fan_out} × {fan_in} = {fan_out * fan_in}")
        if not np.issubdtype(array.dtype, np.floating) or not np.all(np.isfinite(array)):
            raise SubmissionError(f"answers.task1.samples ({init}): expected finite floating-point values, found dtype {array.dtype}")
        file = f"{init}_{fan_in}_{fan_out}.npy"
        self._arrays[file] = array
        samples = self.answers.setdefault("task1", {}).setdefault("samples", [])
        samples[:] = [s for s in samples if s["file"] != file] + [{"init": init, "fanIn": fan_in, "fanOut": fan_out, "file": file}]
        return self

    # -- Tasks 2 and 3: models -----------------------------------------------------------------

    def task2(self, model: Any = None, preprocessing: Optional[Mapping[str, Any]] = None, history: Any = None,
              claimed: Optional[Mapping[str, Any]] = None, reinit_model: Any = None, reinit_init: Optional[str] = None,
              architecture: Optional[str] = None, hyperparameters: Optional[Mapping[str, Any]] = None,
              display: Optional[str] = None, input_shape: Sequence[int] = (784,)) -> "Submission":
        """The MLP (input: N × 784 flattened pixels after `preprocessing`), its history and what the notebook printed."""
        part = self.answers.setdefault("task2", {})
        if model is not None:
            part["model"] = self._model("models/mlp.onnx", model, preprocessing, "flat", tuple(input_shape), "answers.task2.model")
        if reinit_model is not None:
            part["reinitModel"] = self._model("models/mlp-reinit.onnx", reinit_model, preprocessing, "flat", tuple(input_shape), "answers.task2.reinitModel")
        if reinit_init is not None:
            part["reinitInit"] = _text(reinit_init, "answers.task2.reinitInit", 200)
        if claimed is not None:
            part["claimed"] = _accuracies(claimed, "answers.task2.claimed", ["testAccuracy", "reinitTestAccuracy"])
        self._describe_task(part, "task2", "history/mlp.json", history, architecture, hyperparameters, display)
        return self

    def task3(self, model: Any = None, preprocessing: Optional[Mapping[str, Any]] = None, history: Any = None,
              claimed: Optional[Mapping[str, Any]] = None, augmented_model: Any = None,
              architecture: Optional[str] = None, hyperparameters: Optional[Mapping[str, Any]] = None,
              tuning: Optional[str] = None, augmentation: Optional[str] = None, display: Optional[str] = None,
              input_shape: Sequence[int] = (3, 32, 32)) -> "Submission":
        """The CNN (input: N × 3 × 32 × 32, NCHW as torch lays images out), its history and what the notebook printed."""
        part = self.answers.setdefault("task3", {})
        if model is not None:
            part["model"] = self._model("models/cnn.onnx", model, preprocessing, "NCHW", tuple(input_shape), "answers.task3.model")
            part["inputShape"] = [int(d) for d in input_shape]
            part["outputShape"] = [int(self._models["models/cnn.onnx"][2])]
            count = sum(int(p.numel()) for p in model.parameters())
            given = None if claimed is None else claimed.get("params")
            if given is not None and int(given) != count:
                print(f"hw2kit: warning: answers.task3.claimed.params is {given}, but the model has {count} parameters (task3.params compares them)")
        if augmented_model is not None:
            part["augmentedModel"] = self._model("models/cnn-augmented.onnx", augmented_model, preprocessing, "NCHW", tuple(input_shape), "answers.task3.augmentedModel")
        if claimed is not None:
            _fields(claimed, "answers.task3.claimed", ["testAccuracy", "params", "noise", "augmentedTestAccuracy"])
            out = _accuracies({k: v for k, v in claimed.items() if k in ("testAccuracy", "augmentedTestAccuracy")}, "answers.task3.claimed", ["testAccuracy", "augmentedTestAccuracy"])
            if claimed.get("params") is not None:
                out["params"] = _integer(claimed["params"], "answers.task3.claimed.params")
            if claimed.get("noise") is not None:
                noise = claimed["noise"]
                if isinstance(noise, Mapping):  # {a: accuracy}
                    noise = [{"a": a, "accuracy": acc} for a, acc in noise.items()]
                out["noise"] = [{"a": _number(n["a"], f"answers.task3.claimed.noise[{i}].a"),
                                 "accuracy": _accuracy(n["accuracy"], f"answers.task3.claimed.noise[{i}].accuracy")} for i, n in enumerate(noise)]
            part["claimed"] = out
        if tuning is not None:
            part["tuning"] = _text(tuning, "answers.task3.tuning")
        if augmentation is not None:
            part["augmentation"] = _text(augmentation, "answers.task3.augmentation")
        self._describe_task(part, "task3", "history/cnn.json", history, architecture, hyperparameters, display)
        return self

    def _describe_task(self, part: Dict[str, Any], task: str, history_file: str, history: Any, architecture: Optional[str],
                       hyperparameters: Optional[Mapping[str, Any]], display: Optional[str]) -> None:
        if history is not None:
            self._histories[history_file] = _history(history, f"answers.{task}.history")
            part["history"] = history_file
        if architecture is not None:
            part["architecture"] = _text(architecture, f"answers.{task}.architecture")
        if hyperparameters is not None:
            if not isinstance(hyperparameters, Mapping):
                raise SubmissionError(f"answers.{task}.hyperparameters: expected an object (a dict), found {_describe(hyperparameters)}")
            hp: Dict[str, Any] = {}
            for k, v in hyperparameters.items():
                field = f"answers.{task}.hyperparameters.{k}"
                hp[str(k)] = v if isinstance(v, bool) else _text(v, field, 200) if isinstance(v, str) else _number(v, field)
            part["hyperparameters"] = hp
        if display is not None:
            part["display"] = _text(display, f"answers.{task}.display")

    def _model(self, path: str, model: Any, preprocessing: Optional[Mapping[str, Any]], layout: str,
               input_shape: Tuple[int, ...], field: str) -> Dict[str, Any]:
        """Exports `model` to ONNX (in save()'s folder) at once, and confirms the file gives torch's logits."""
        prep = dict(preprocessing or {"scale": 1 / 255})
        _fields(prep, f"{field}.preprocessing", ["scale", "mean", "std"])
        if "scale" not in prep:
            raise SubmissionError(f"{field}.preprocessing.scale: missing (1/255 when your transform is ToTensor)")
        checked: Dict[str, Any] = {"scale": _number(prep["scale"], f"{field}.preprocessing.scale")}
        for key in ("mean", "std"):
            if prep.get(key) is not None:
                value = _array(prep[key]).astype(float).reshape(-1).tolist()
                if not 1 <= len(value) <= 3 or (key == "std" and min(value) <= 0):
                    raise SubmissionError(f"{field}.preprocessing.{key}: expected one number or one per channel{' (positive)' if key == 'std' else ''}, found {value}")
                checked[key] = value[0] if len(value) == 1 else value
        checked["layout"] = layout
        target = os.path.join(self.folder, path)
        outputs = export_onnx(model, target, input_shape)
        self._models[path] = (target, input_shape, outputs)
        return {"path": path, "preprocessing": checked}

    # -- writing -------------------------------------------------------------------------------

    def document(self) -> Dict[str, Any]:
        """hw2.json as a dict."""
        return {"contract": CONTRACT, "group": self.group, "answers": self.answers}

    def save(self, display: bool = True) -> str:
        """Writes hw2.json, the .npy samples and the histories beside the ONNX models; shows the answers in the notebook."""
        os.makedirs(self.folder, exist_ok=True)
        for file, array in self._arrays.items():
            np.save(os.path.join(self.folder, file), array)
        for file, rows in self._histories.items():
            os.makedirs(os.path.dirname(os.path.join(self.folder, file)), exist_ok=True)
            with open(os.path.join(self.folder, file), "w", encoding="utf-8") as f:
                json.dump(rows, f, indent=1)
        doc = self.document()
        with open(os.path.join(self.folder, "hw2.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write("\n")
        if display:
            show_answers(doc)
        return self.folder

    def pack(self, notebook: Optional[str] = None, pdf: Optional[str] = None, out: Optional[str] = None) -> str:
        """The zip to upload, ee046211_hw2_<id1>_<id2>.zip: save()'s folder, the notebook and the PDF under the course's names."""
        # What is packed is what the calls so far gave: written again, not taken from an older save().
        self.save(display=False)
        out = out or f"{self.stem}.zip"
        extras: List[Tuple[str, str]] = []
        for path, ext in ((notebook, "ipynb"), (pdf, "pdf")):
            if path is None:
                continue
            if not os.path.isfile(path):
                raise SubmissionError(f"pack: {path} is not a file (the {'notebook' if ext == 'ipynb' else 'answers PDF'})")
            if not path.lower().endswith(f".{ext}"):
                raise SubmissionError(f"pack: {path} is not a .{ext} file")
            name = f"{self.stem}.{ext}"
            if os.path.basename(path) != name:
                print(f"hw2kit: {os.path.basename(path)} is packed as {name}, the name the course requires")
            extras.append((path, name))
        if notebook is None:
            notebook = _colab_notebook(os.path.join(self.folder, f"{self.stem}.ipynb"))
            if notebook is not None:
                extras.append((notebook, f"{self.stem}.ipynb"))
            else:
                print("hw2kit: note: no notebook packed; the course grades the notebook too (pack(notebook=...))")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for root, _, files in os.walk(self.folder):
                for file in sorted(files):
                    full = os.path.join(root, file)
                    rel = os.path.relpath(full, self.folder).replace(os.sep, "/")
                    if rel.endswith((".ipynb", ".pdf")):
                        continue  # the notebook and PDF come from pack's arguments, under the course's names
                    z.write(full, rel)
            for path, name in extras:
                z.write(path, name)
        return out


def _colab_notebook(path: str) -> Optional[str]:
    """On Colab, the running notebook as Colab has it (saved outputs included), written to `path`; else None."""
    try:
        from google.colab import _message  # type: ignore
    except ImportError:
        return None
    try:
        reply = _message.blocking_request("get_ipynb", request="", timeout_sec=120)
        notebook = reply["ipynb"] if isinstance(reply, Mapping) else None
    except Exception as error:  # noqa: BLE001 (Colab's private API: any failure means "ask for the file")
        print(f"hw2kit: could not take the notebook from Colab ({error}); download it (File → Download .ipynb) and pass pack(notebook=...)")
        return None
    if not isinstance(notebook, Mapping):
        return None
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(notebook, f, ensure_ascii=False)
    print("hw2kit: packed the notebook as Colab has it now: run every cell first, so each has its output")
    return path


def show_answers(doc: Mapping[str, Any]) -> None:
    """Displays hw2.json as an output of type ANSWERS_MIME (and a line of text), when run inside IPython."""
    try:
        from IPython.display import display  # type: ignore
    except ImportError:
        return
    parts = ", ".join(doc.get("answers", {})) or "none yet"
    display({ANSWERS_MIME: json.loads(json.dumps(doc)), "text/plain": f"hw2.json for {', '.join(doc['group']['ids'])}: answers to {parts}"}, raw=True)


def _q5_params(params: Mapping[str, Any], field: str) -> Dict[str, Any]:
    _fields(params, field, ["W1", "W2"])
    if "W1" not in params or "W2" not in params:
        raise SubmissionError(f"{field}: expected W1 (4 × d × 4 × d) and W2 (4 × d)")
    w1, w2 = _array(params["W1"]).astype(float), _array(params["W2"]).astype(float)
    if w1.ndim != 4 or w1.shape[0] != 4 or w1.shape[2] != 4 or w1.shape[1] != w1.shape[3]:
        raise SubmissionError(f"{field}.W1: expected shape 4 x d x 4 x d, found {w1.shape}")
    if w2.shape != (4, w1.shape[1]):
        raise SubmissionError(f"{field}.W2: expected shape 4 x d = (4, {w1.shape[1]}), found {w2.shape}")
    if not (np.all(np.isfinite(w1)) and np.all(np.isfinite(w2))):
        raise SubmissionError(f"{field}: expected finite numbers")
    return {"W1": w1.tolist(), "W2": w2.tolist()}


def _accuracy(value: Any, field: str) -> float:
    number = _number(value, field)
    if not 0 <= number <= 1:
        raise SubmissionError(f"{field}: expected an accuracy in [0, 1], found {number}" + (" (a percentage? divide by 100)" if number <= 100 else ""))
    return number


def _accuracies(given: Mapping[str, Any], field: str, allowed: Sequence[str]) -> Dict[str, float]:
    _fields(given, field, allowed)
    return {k: _accuracy(v, f"{field}.{k}") for k, v in given.items() if v is not None}


def _history(history: Any, field: str) -> Any:
    """Rows [{epoch, loss, val_loss, ...}] or series {loss: [...], val_loss: [...]} (Keras' history.history)."""
    if isinstance(history, Mapping):
        series = {str(k): [_number(v, f"{field}.{k}[{i}]") for i, v in enumerate(vs)] for k, vs in history.items()}
        if not series or not any("loss" in k.lower() for k in series):
            raise SubmissionError(f"{field}: expected a series named loss (and val_loss), found {', '.join(series) or 'none'}")
        lengths = {len(v) for v in series.values()}
        if len(lengths) != 1 or 0 in lengths:
            raise SubmissionError(f"{field}: every series must have the same, non-zero length; found lengths {sorted(lengths)}")
        return series
    rows = list(history)
    if not rows or not all(isinstance(r, Mapping) for r in rows):
        raise SubmissionError(f"{field}: expected rows ({{'epoch': 1, 'loss': ..., 'val_loss': ...}}, one per epoch) or series ({{'loss': [...]}})")
    out = [{str(k): _number(v, f"{field}[{i}].{k}") for k, v in r.items()} for i, r in enumerate(rows)]
    if not any("loss" in k.lower() for k in out[0]):
        raise SubmissionError(f"{field}[0]: expected a loss value, found {', '.join(out[0]) or 'nothing'}")
    return out


# ---------------------------------------------------------------------------------------------
# ONNX export and its confirmation


def export_onnx(model: Any, path: str, input_shape: Tuple[int, ...], samples: int = 4, seed: int = 211) -> int:
    """Writes `model` to `path` as ONNX (batch axis dynamic; input "input", output "logits") and
    confirms on `samples` random inputs that the file gives the logits torch gives. Returns the
    number of outputs (classes)."""
    try:
        import torch  # noqa: WPS433 (torch is optional for the rest of the kit)
    except ImportError as error:
        raise SubmissionError("models are exported with PyTorch, which is not installed here") from error
    if not isinstance(model, torch.nn.Module):
        raise SubmissionError(f"{path}: expected a torch.nn.Module, found {_describe(model)}")
    # A copy on the CPU in eval mode: the notebook's model keeps its device and training mode.
    net = copy.deepcopy(model).cpu().eval()
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand((samples, *input_shape), generator=generator)
    try:
        with torch.no_grad():
            expected = net(x)
    except Exception as error:  # noqa: BLE001 (whatever the pair's forward() raises, say which input it was given)
        raise SubmissionError(f"{path}: the model could not run on a batch of shape {(samples, *input_shape)}, the input the harness gives it ({type(error).__name__}: {error})") from error
    if expected.ndim != 2 or expected.shape[0] != samples:
        raise SubmissionError(f"{path}: the model maps a batch of {samples} inputs of shape {tuple(input_shape)} to shape {tuple(expected.shape)}; expected ({samples}, classes)")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    options: Dict[str, Any] = dict(input_names=["input"], output_names=["logits"],
                                   dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    # Newer torch exports through dynamo by default; the TorchScript exporter is what every
    # version from 1.13 has, and what dynamic_axes is for.
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        options["dynamo"] = False
    with torch.no_grad():
        torch.onnx.export(net, x[:1], path, **options)
    got, engine = run_onnx(path, x.numpy())
    if got is None:
        print(f"hw2kit: {path} written; not confirmed ({engine})")
    else:
        diff = float(np.max(np.abs(got - expected.numpy())))
        scale = max(1.0, float(np.max(np.abs(expected.numpy()))))
        if not diff <= LOGIT_TOLERANCE * scale:
            raise SubmissionError(f"{path}: the ONNX file gives logits {diff:.3g} away from torch's on the same inputs ({engine}); the export lost something (a layer used only in forward()? a custom op?)")
        print(f"hw2kit: {path}: same logits as torch on {samples} inputs (largest difference {diff:.2g}, {engine})")
    return int(expected.shape[1])


def run_onnx(path: str, x: np.ndarray) -> Tuple[Optional[np.ndarray], str]:
    """The ONNX file's output on x, with onnxruntime, else the numpy interpreter (needs the onnx package)."""
    try:
        import onnxruntime  # type: ignore
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        return session.run(None, {session.get_inputs()[0].name: x.astype(np.float32)})[0], f"onnxruntime {onnxruntime.__version__}"
    except ImportError:
        pass
    try:
        import onnx  # type: ignore
        from onnx import numpy_helper  # type: ignore
    except ImportError:
        return None, "pip install onnxruntime (or onnx) to confirm the export"
    try:
        return _interpret(onnx.load(path), numpy_helper, x.astype(np.float32)), "the kit's numpy interpreter"
    except NotImplementedError as error:
        return None, f"{error}; pip install onnxruntime to confirm the export"


def _attrs(node: Any) -> Dict[str, Any]:
    import onnx  # type: ignore
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _interpret(model: Any, numpy_helper: Any, x: np.ndarray) -> np.ndarray:
    """A numpy evaluation of the ONNX graphs that MLPs and small CNNs export to."""
    values: Dict[str, Any] = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in values]
    values[inputs[0]] = x
    for node in model.graph.node:
        a = _attrs(node)
        ins = [values[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Gemm":
            A, B = ins[0], ins[1]
            A = A.T if a.get("transA") else A
            B = B.T if a.get("transB") else B
            out = a.get("alpha", 1.0) * (A @ B) + (a.get("beta", 1.0) * ins[2] if len(ins) > 2 and ins[2] is not None else 0)
        elif op == "MatMul":
            out = ins[0] @ ins[1]
        elif op in ("Add", "Sub", "Mul", "Div"):
            out = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op](ins[0], ins[1])
        elif op == "Relu":
            out = np.maximum(ins[0], 0)
        elif op == "LeakyRelu":
            out = np.where(ins[0] >= 0, ins[0], a.get("alpha", 0.01) * ins[0])
        elif op == "Sigmoid":
            out = 1 / (1 + np.exp(-ins[0]))
        elif op == "Tanh":
            out = np.tanh(ins[0])
        elif op in ("Softmax", "LogSoftmax"):
            axis = a.get("axis", -1)
            z = ins[0] - ins[0].max(axis=axis, keepdims=True)
            e = np.exp(z)
            out = e / e.sum(axis=axis, keepdims=True) if op == "Softmax" else z - np.log(e.sum(axis=axis, keepdims=True))
        elif op == "Flatten":
            axis = a.get("axis", 1)
            out = ins[0].reshape(int(np.prod(ins[0].shape[:axis])), -1)
        elif op == "Reshape":
            shape = [ins[0].shape[i] if d == 0 else int(d) for i, d in enumerate(ins[1])]
            out = ins[0].reshape(shape)
        elif op in ("Identity", "Dropout"):
            out = ins[0]
        elif op == "Constant":
            out = numpy_helper.to_array(a["value"])
        elif op == "Shape":
            out = np.array(ins[0].shape, dtype=np.int64)
        elif op == "Gather":
            out = np.take(ins[0], ins[1].astype(np.int64), axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            axes = a.get("axes", None if len(ins) < 2 else list(ins[1]))
            out = ins[0]
            for ax in sorted(int(v) for v in axes):
                out = np.expand_dims(out, ax)
        elif op == "Squeeze":
            axes = a.get("axes", None if len(ins) < 2 else list(ins[1]))
            out = np.squeeze(ins[0], axis=None if axes is None else tuple(int(v) for v in axes))
        elif op == "Concat":
            out = np.concatenate([np.atleast_1d(v) for v in ins], axis=a["axis"])
        elif op == "Transpose":
            out = np.transpose(ins[0], a.get("perm"))
        elif op == "Cast":
            out = ins[0]
        elif op == "Clip":
            lo = ins[1] if len(ins) > 1 and ins[1] is not None else a.get("min", -np.inf)
            hi = ins[2] if len(ins) > 2 and ins[2] is not None else a.get("max", np.inf)
            out = np.clip(ins[0], lo, hi)
        elif op == "BatchNormalization":
            X, scale, bias, mean, var = ins[:5]
            shape = (1, -1) + (1,) * (X.ndim - 2)
            out = (X - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + a.get("epsilon", 1e-5)) * scale.reshape(shape) + bias.reshape(shape)
        elif op == "Conv":
            out = _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op in ("MaxPool", "AveragePool"):
            out = _pool(ins[0], a, np.max if op == "MaxPool" else np.mean)
        elif op == "GlobalAveragePool":
            out = ins[0].mean(axis=(2, 3), keepdims=True)
        else:
            raise NotImplementedError(f"the ONNX operator {op} is not in the kit's interpreter")
        values[node.output[0]] = out
    return np.asarray(values[model.graph.output[0].name], dtype=np.float32)


def _padded(x: np.ndarray, pads: Sequence[int], value: float) -> np.ndarray:
    top, left, bottom, right = pads
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=value)


def _windows(x: np.ndarray, kh: int, kw: int, stride: Sequence[int], dilation: Sequence[int] = (1, 1)) -> np.ndarray:
    """x (N, C, H, W) as windows (N, C, OH, OW, kh, kw)."""
    n, c, h, w = x.shape
    oh = (h - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (w - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    s = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (n, c, oh, ow, kh, kw), (s[0], s[1], s[2] * stride[0], s[3] * stride[1], s[2] * dilation[0], s[3] * dilation[1]), writeable=False)


def _conv(x: np.ndarray, w: np.ndarray, b: Optional[np.ndarray], a: Mapping[str, Any]) -> np.ndarray:
    if a.get("group", 1) != 1 or x.ndim != 4:
        raise NotImplementedError("grouped or non-2-D convolutions are not in the kit's interpreter")
    pads = list(a.get("pads", [0, 0, 0, 0]))
    x = _padded(x, [pads[0], pads[1], pads[2], pads[3]], 0.0)
    win = _windows(np.ascontiguousarray(x), w.shape[2], w.shape[3], a.get("strides", [1, 1]), a.get("dilations", [1, 1]))
    out = np.einsum("ncxykl,ockl->noxy", win, w, optimize=True)
    return out + (b.reshape(1, -1, 1, 1) if b is not None else 0)


def _pool(x: np.ndarray, a: Mapping[str, Any], reduce: Any) -> np.ndarray:
    kh, kw = a["kernel_shape"]
    pads = list(a.get("pads", [0, 0, 0, 0]))
    if a.get("ceil_mode", 0):
        raise NotImplementedError("pooling with ceil_mode is not in the kit's interpreter")
    x = _padded(x, [pads[0], pads[1], pads[2], pads[3]], -np.inf if reduce is np.max else 0.0)
    return reduce(_windows(np.ascontiguousarray(x), kh, kw, a.get("strides", [1, 1])), axis=(4, 5))
