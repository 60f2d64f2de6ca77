# SPDX-License-Identifier: GPL-3.0-or-later
"""The MLflow drop-in as real projects use it (issue 20): scripts written the
way MLflow projects are, with only the import changed, run in a child
process; what landed is read back with `runlens runs/show --format json`
and by a second script, as a notebook would.

Needs PYTHONPATH=<build>/python and RUNLENS_BIN=<build>/bin/runlens (ctest sets
both). scikit-learn, pandas, numpy, torch and xgboost come from Debian
(packaging/bootstrap.sh test installs them); a test that needs one that is
missing is skipped saying which.
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

RUNLENS = os.environ.get("RUNLENS_BIN", "runlens")
HERE = os.path.dirname(os.path.abspath(__file__))
STANDINS = os.path.join(HERE, "standins")


def needs(*modules):
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        reason = f"needs {', '.join(missing)} (apt-get install " + " ".join(
            {"sklearn": "python3-sklearn", "pandas": "python3-pandas", "numpy": "python3-numpy",
             "torch": "python3-torch", "xgboost": "python3-xgboost"}[m] for m in missing) + ")"
        print(f"skipped: {reason}", file=sys.stderr)
        return unittest.skip(reason)
    return lambda f: f


class DropInBase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.store = os.path.join(self.tmp.name, "mlruns.db")

    def tearDown(self):
        self.tmp.cleanup()

    def script(self, body, expect_rc=0, frameworks=()):
        env = dict(os.environ)
        env["MLFLOW_TRACKING_URI"] = "sqlite:///" + self.store
        standins = [m for m in frameworks if importlib.util.find_spec(m) is None]
        if standins:
            # Debian 12 packages neither LightGBM nor Keras: the stand-ins (standins/README.md) then.
            print(f"{self.id()}: {', '.join(standins)} from tests/python/standins", file=sys.stderr)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [STANDINS, env.get("PYTHONPATH")]))
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(body)], cwd=self.tmp.name, env=env,
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, expect_rc, proc.stderr)
        return proc.stdout

    def cli(self, *args):
        proc = subprocess.run([RUNLENS, *args], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def runs(self, query=None):
        args = ["runs", self.store, "--format", "json"] + (["--query", query] if query else [])
        return json.loads(self.cli(*args))

    def show(self, run):
        return json.loads(self.cli("show", self.store, run, "--format", "json"))


@needs("sklearn", "pandas", "numpy")
class ScikitLearnProject(DropInBase):
    """A scikit-learn project: autolog, a pipeline, a dataset, the model loaded back."""

    def test_pipeline_with_autolog_logs_params_training_metrics_dataset_and_model(self):
        out = self.script("""
            import numpy as np
            import pandas as pd
            import runlens.mlflow as mlflow
            from runlens.mlflow.models import infer_signature
            from sklearn.datasets import load_wine
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.linear_model import Ridge
            from sklearn.metrics import accuracy_score
            from sklearn.model_selection import train_test_split
            from sklearn.pipeline import Pipeline
            from sklearn.preprocessing import StandardScaler

            mlflow.set_experiment("wine-quality")
            mlflow.sklearn.autolog()
            data = load_wine(as_frame=True)
            X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, random_state=42)

            with mlflow.start_run(run_name="rf-pipeline") as run:
                train_df = X_train.assign(target=y_train)
                mlflow.log_input(mlflow.data.from_pandas(train_df, targets="target", name="wine-train"),
                                 context="training")
                pipe = Pipeline([("scaler", StandardScaler()),
                                 ("clf", RandomForestClassifier(n_estimators=25, max_depth=4, random_state=0))])
                pipe.fit(X_train, y_train)
                test_acc = accuracy_score(y_test, pipe.predict(X_test))
                mlflow.log_metric("test_accuracy", test_acc)
                np.save("expected.npy", pipe.predict(X_test))
                X_test.to_pickle("x_test.pkl")

            # autolog outside a run starts one and ends it
            Ridge(alpha=0.3).fit(X_train, y_train)
            print(run.info.run_id, mlflow.last_active_run().info.run_id)

            mlflow.sklearn.autolog(disable=True)
            with mlflow.start_run(run_name="not-autologged"):
                Ridge(alpha=1.0).fit(X_train, y_train)
            """)
        pipe_id, ridge_id = out.split()
        runs = {r["name"]: r for r in self.runs()}
        pipe = runs["rf-pipeline"]
        self.assertEqual(pipe["id"], pipe_id)
        self.assertEqual(pipe["experiment"], "wine-quality")
        self.assertEqual(pipe["status"], "finished")
        # the estimator's params, deep, as MLflow logs them
        self.assertEqual(pipe["params"]["clf__n_estimators"], 25)
        self.assertEqual(pipe["params"]["clf__max_depth"], 4)
        self.assertIn("scaler__with_mean", pipe["params"])
        for metric in ("training_score", "training_accuracy_score", "training_precision_score",
                       "training_recall_score", "training_f1_score", "training_log_loss", "training_roc_auc",
                       "test_accuracy"):
            self.assertIn(metric, pipe["metrics"])
        self.assertGreater(pipe["metrics"]["training_accuracy_score"]["last"], 0.9)
        self.assertEqual(pipe["tags"]["estimator_name"], "Pipeline")
        self.assertEqual(pipe["tags"]["estimator_class"], "sklearn.pipeline.Pipeline")
        details = self.show(pipe_id)
        # the dataset as a data version, with MLflow's 8-digit digest
        self.assertRegex(details["data_versions"]["wine-train (training)"], r"^md5:[0-9a-f]{8}$")
        self.assertIn("dataset (train)", details["data_versions"])
        paths = {a["path"] for a in details["artifacts"]}
        self.assertTrue({"model/MLmodel", "model/model.pkl", "model/requirements.txt", "model/python_env.yaml",
                         "model/conda.yaml"} <= paths, paths)
        # the Ridge fitted outside a run got a run of its own; a regressor's metrics
        ridge = [r for r in runs.values() if r["id"] == ridge_id][0]
        self.assertEqual(ridge["tags"]["estimator_name"], "Ridge")
        self.assertEqual(ridge["params"]["alpha"], 0.3)
        self.assertEqual(ridge["status"], "finished")
        for metric in ("training_mean_squared_error", "training_root_mean_squared_error",
                       "training_mean_absolute_error", "training_r2_score", "training_score"):
            self.assertIn(metric, ridge["metrics"])
        # disable=True is respected
        self.assertEqual(runs["not-autologged"]["params"], {})
        self.assertEqual(runs["not-autologged"]["metrics"], {})

        # MLflow's layout: MLmodel names MLflow's loader, so MLflow itself loads it
        model_dir = os.path.join(self.store + ".artifacts", pipe_id, "model")
        with open(os.path.join(model_dir, "MLmodel")) as fh:
            mlmodel = fh.read()
        self.assertIn("loader_module: mlflow.sklearn", mlmodel)
        self.assertIn("pickled_model: model.pkl", mlmodel)
        self.assertIn("signature:", mlmodel)
        with open(os.path.join(model_dir, "requirements.txt")) as fh:
            self.assertIn("scikit-learn==", fh.read())
        with open(os.path.join(model_dir, "python_env.yaml")) as fh:
            self.assertIn("-r requirements.txt", fh.read())

        # a serving script loads it back by runs:/ URI, as sklearn and as pyfunc, and predicts the same
        out = self.script(f"""
            import numpy as np, pandas as pd
            import runlens.mlflow as mlflow
            X_test = pd.read_pickle("x_test.pkl")
            expected = np.load("expected.npy")
            model = mlflow.sklearn.load_model("runs:/{pipe_id}/model")
            assert (model.predict(X_test) == expected).all()
            pyfunc = mlflow.pyfunc.load_model("runs:/{pipe_id}/model")
            assert (np.asarray(pyfunc.predict(X_test)) == expected).all()
            assert pyfunc.metadata.signature.inputs.input_names()[0] == "alcohol", pyfunc.metadata.signature
            run = mlflow.get_run("{pipe_id}")
            ds = run.inputs.dataset_inputs
            assert {{d.dataset.name for d in ds}} == {{"wine-train", "dataset"}}, ds
            train = [d for d in ds if d.dataset.name == "wine-train"][0]
            assert train.tags[0].key == "mlflow.data.context" and train.tags[0].value == "training"
            assert "mlflow_colspec" in train.dataset.schema
            assert json.loads(train.dataset.profile)["num_rows"] == 178 - len(X_test), train.dataset.profile
            local = mlflow.artifacts.download_artifacts(run_id="{pipe_id}", artifact_path="model", dst_path=".")
            assert sorted(__import__("os").listdir(local))[:2] == ["MLmodel", "conda.yaml"], local
            print("ok")
            """.replace("import numpy as np, pandas as pd", "import json, numpy as np, pandas as pd"))
        self.assertEqual(out.strip(), "ok")

    def test_models_saved_and_logged_by_hand_and_a_python_model(self):
        out = self.script("""
            import numpy as np
            import runlens.mlflow as mlflow
            from runlens.mlflow.models import infer_signature
            from sklearn.linear_model import LogisticRegression

            rng = np.random.default_rng(0)
            X = rng.normal(size=(200, 3))
            y = (X[:, 0] + X[:, 1] > 0).astype(int)
            clf = LogisticRegression().fit(X, y)
            signature = infer_signature(X, clf.predict(X))
            assert signature.inputs.to_dict() == [{"type": "tensor",
                                                   "tensor-spec": {"dtype": "float64", "shape": [-1, 3]}}]
            mlflow.sklearn.save_model(clf, "saved_model", signature=signature)
            assert (mlflow.sklearn.load_model("saved_model").predict(X) == clf.predict(X)).all()

            class Doubler(mlflow.pyfunc.PythonModel):
                def load_context(self, context):
                    self.factor = float(open(context.artifacts["factor"]).read())
                def predict(self, context, model_input, params=None):
                    return model_input * self.factor

            open("factor.txt", "w").write("2.5")
            with mlflow.start_run(run_name="by-hand") as run:
                info = mlflow.sklearn.log_model(clf, "classifier", signature=signature, input_example=X[:2])
                assert info.model_uri == f"runs:/{run.info.run_id}/classifier", info.model_uri
                mlflow.pyfunc.log_model("doubler", python_model=Doubler(), artifacts={"factor": "factor.txt"})
            loaded = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/doubler")
            assert (loaded.predict(np.ones(3)) == 2.5).all()
            assert (mlflow.pyfunc.load_model(info.model_uri).predict(X) == clf.predict(X)).all()
            print(run.info.run_id)
            """)
        run_id = out.strip()
        paths = {a["path"] for a in self.show(run_id)["artifacts"]}
        self.assertTrue({"classifier/MLmodel", "classifier/model.pkl", "classifier/input_example.json",
                         "doubler/MLmodel", "doubler/python_model.pkl", "doubler/artifacts/factor.txt"} <= paths,
                        paths)


@needs("sklearn", "pandas", "numpy")
class NotebookComparison(DropInBase):
    """A notebook comparing runs with MlflowClient and MLflow's documented filter strings."""

    SWEEP = """
        import runlens.mlflow as mlflow
        mlflow.set_experiment("house-prices")
        grid = [("CNN", 0.01, 0.71, "vision"), ("CNN", 0.1, 0.93, "vision"), ("LSTM", 0.01, 1.20, "nlp"),
                ("LSTM", 0.1, 0.64, "nlp"), ("RF", 0.5, 0.88, "tabular")]
        for i, (model, lr, rmse, team) in enumerate(grid):
            with mlflow.start_run(run_name=f"{model.lower()}-{i}"):
                mlflow.log_params({"model": model, "lr": lr})
                mlflow.set_tag("team", team)
                for epoch in range(4):
                    mlflow.log_metric("rmse", rmse + (3 - epoch) * 0.1, step=epoch)
                mlflow.log_metric("val acc", 1 - rmse / 2)
        try:
            with mlflow.start_run(run_name="diverged"):
                mlflow.log_param("model", "CNN")
                mlflow.log_metric("rmse", 9.0)
                raise RuntimeError("nan loss")
        except RuntimeError:
            pass
        """

    # MLflow's documented filter examples (search-runs docs), with the runs each must find.
    CASES = [
        ("metrics.rmse < 0.8", ["cnn-0", "lstm-3"]),
        ("metrics.rmse < 0.8 and params.model = 'CNN'", ["cnn-0"]),
        ("params.model = 'CNN'", ["cnn-0", "cnn-1", "diverged"]),
        ("params.model != 'CNN'", ["lstm-2", "lstm-3", "rf-4"]),
        ("params.model IN ('LSTM', 'RF')", ["lstm-2", "lstm-3", "rf-4"]),
        ("params.model NOT IN ('LSTM', 'RF')", ["cnn-0", "cnn-1", "diverged"]),
        ("params.model LIKE 'LS%'", ["lstm-2", "lstm-3"]),
        ("tags.team ILIKE '%ISION'", ["cnn-0", "cnn-1"]),
        ("tags.\"mlflow.runName\" = 'rf-4'", ["rf-4"]),
        ("attributes.run_name LIKE 'lstm-_'", ["lstm-2", "lstm-3"]),
        ("attributes.status = 'FAILED'", ["diverged"]),
        ("attributes.status != 'FAILED' and metrics.rmse >= 0.88", ["cnn-1", "lstm-2", "rf-4"]),
        ("metrics.`val acc` > 0.6", ["cnn-0", "lstm-3"]),
        ("params.lr = '0.1' and tags.team = 'vision'", ["cnn-1"]),
        ("metrics.rmse > 0.7 AND metrics.rmse <= 1.2 AND params.model = 'LSTM'", ["lstm-2"]),
        ("params.model = 'CNN' OR tags.team = 'tabular'", ["cnn-0", "cnn-1", "diverged", "rf-4"]),
    ]

    def test_client_search_runs_matches_mlflow_semantics_and_runlens_query(self):
        self.script(self.SWEEP)
        cases = json.dumps(self.CASES)
        out = self.script(f"""
            import json
            import pandas as pd
            from runlens.mlflow.tracking import MlflowClient
            from runlens.mlflow.entities import ViewType
            from runlens.mlflow.exceptions import MlflowException
            from runlens.mlflow import _filter
            import runlens.mlflow as mlflow

            client = MlflowClient()
            experiment = client.get_experiment_by_name("house-prices")
            assert experiment is not None and experiment.name == "house-prices"
            assert client.get_experiment_by_name("no-such-experiment") is None
            found = {{}}
            for filter_string, _expected in json.loads({cases!r}):
                runs = client.search_runs([experiment.experiment_id], filter_string,
                                          run_view_type=ViewType.ACTIVE_ONLY)
                query = _filter.to_runlens_query(_filter.parse_filter(filter_string))
                found[filter_string] = {{"names": sorted(r.info.run_name for r in runs),
                                        "ids": sorted(r.info.run_id for r in runs), "query": query}}

            # order_by and pages, as a notebook pages through a leaderboard
            page = client.search_runs([experiment.experiment_id], "attributes.status = 'FINISHED'",
                                      order_by=["metrics.rmse ASC"], max_results=2)
            best = [r.info.run_name for r in page]
            rest = client.search_runs([experiment.experiment_id], "attributes.status = 'FINISHED'",
                                      order_by=["metrics.rmse ASC"], max_results=2, page_token=page.token)
            last = client.search_runs([experiment.experiment_id], "attributes.status = 'FINISHED'",
                                      order_by=["metrics.rmse ASC"], max_results=2, page_token=rest.token)
            order = best + [r.info.run_name for r in rest] + [r.info.run_name for r in last]
            assert last.token is None, last.token
            # runs without the key come last, ascending or not (diverged has no "val acc")
            for direction in ("ASC", "DESC"):
                by_acc = client.search_runs([experiment.experiment_id], "", order_by=[f"metrics.`val acc` {{direction}}"])
                assert by_acc[-1].info.run_name == "diverged", [r.info.run_name for r in by_acc]

            # a Run as MLflow's: info, data.params (strings), data.metrics (last), data.tags
            run = client.get_run(page[0].info.run_id)
            assert run.info.status == "FINISHED" and run.info.experiment_id == experiment.experiment_id
            assert run.data.params == {{"model": "LSTM", "lr": "0.1"}}, run.data.params
            assert abs(run.data.metrics["rmse"] - 0.64) < 1e-9
            assert run.data.tags["team"] == "nlp" and run.data.tags["mlflow.runName"] == "lstm-3"
            history = client.get_metric_history(run.info.run_id, "rmse")
            assert [m.step for m in history] == [0, 1, 2, 3]
            assert abs(history[0].value - 0.94) < 1e-9 and history[0].timestamp > 1e12

            # the fluent search gives MLflow's DataFrame
            df = mlflow.search_runs(experiment_names=["house-prices"], filter_string="params.model = 'CNN'",
                                    order_by=["metrics.rmse DESC"])
            assert isinstance(df, pd.DataFrame)
            assert {{"run_id", "status", "start_time", "metrics.rmse", "params.lr", "tags.team"}} <= set(df.columns)
            assert list(df["tags.mlflow.runName"]) == ["diverged", "cnn-1", "cnn-0"], list(df["tags.mlflow.runName"])

            # MLflow's errors, with its codes
            try:
                client.get_run("0" * 32)
                raise SystemExit("a missing run was found")
            except MlflowException as e:
                assert e.error_code == "RESOURCE_DOES_NOT_EXIST", e.error_code
            try:
                client.search_runs([experiment.experiment_id], "metrics.rmse <")
                raise SystemExit("a broken filter was accepted")
            except MlflowException as e:
                assert e.error_code == "INVALID_PARAMETER_VALUE", e.error_code
            try:
                client.create_experiment("house-prices")
                raise SystemExit("a duplicate experiment was created")
            except MlflowException as e:
                assert e.error_code == "RESOURCE_ALREADY_EXISTS", e.error_code
            print(json.dumps({{"found": found, "order": order}}))
            """)
        result = json.loads(out)
        for filter_string, expected in self.CASES:
            got = result["found"][filter_string]
            self.assertEqual(got["names"], sorted(expected), filter_string)
            # parity: the same filter in Runlens's query language finds the same runs
            self.assertIsNotNone(got["query"], filter_string)
            ids = sorted(r["id"] for r in self.runs(got["query"]))
            self.assertEqual(ids, got["ids"], f"{filter_string} as {got['query']}")
        self.assertEqual(result["order"], ["lstm-3", "cnn-0", "rf-4", "cnn-1", "lstm-2"])

        # a run made by the client, logged to and terminated
        made_id = self.script("""
            import runlens.mlflow as mlflow
            from runlens.mlflow.tracking import MlflowClient
            client = MlflowClient()
            experiment = client.get_experiment_by_name("house-prices")
            made = client.create_run(experiment.experiment_id, run_name="client-made", tags={"source": "nb"})
            client.log_param(made.info.run_id, "alpha", 0.5)
            client.log_batch(made.info.run_id, metrics=[mlflow.entities.Metric("rmse", 0.5, 0, 0)])
            client.set_terminated(made.info.run_id, "KILLED")
            print(made.info.run_id)
            """).strip()
        made = [r for r in self.runs() if r["name"] == "client-made"][0]
        self.assertEqual(made["id"], made_id)
        self.assertEqual(made["status"], "killed")
        self.assertEqual(made["params"]["alpha"], 0.5)
        self.assertEqual(made["tags"]["source"], "nb")
        self.assertEqual(made["metrics"]["rmse"]["last"], 0.5)

    def test_client_writes_to_a_finished_run_of_another_process(self):
        self.script(self.SWEEP)
        self.script("""
            from runlens.mlflow.tracking import MlflowClient
            client = MlflowClient()
            exp = client.get_experiment_by_name("house-prices")
            best = client.search_runs([exp.experiment_id], "attributes.status = 'FINISHED'",
                                      order_by=["metrics.rmse ASC"], max_results=1)[0]
            client.set_tag(best.info.run_id, "champion", "true")
            client.log_metric(best.info.run_id, "test_rmse", 0.66)
            diverged = client.search_runs([exp.experiment_id], "attributes.status = 'FAILED'")[0]
            client.set_tag(diverged.info.run_id, "reviewed", "yes")
            client.delete_run([r for r in client.search_runs([exp.experiment_id], "attributes.run_name = 'rf-4'")][0]
                              .info.run_id)
            assert [r.info.run_name for r in client.search_runs([exp.experiment_id], "params.model = 'RF'")] == []
            from runlens.mlflow.entities import ViewType
            assert len(client.search_runs([exp.experiment_id], "params.model = 'RF'",
                                          run_view_type=ViewType.DELETED_ONLY)) == 1
            """)
        runs = {r["name"]: r for r in self.runs()}
        self.assertEqual(runs["lstm-3"]["tags"]["champion"], "true")
        self.assertEqual(runs["lstm-3"]["metrics"]["test_rmse"]["last"], 0.66)
        self.assertEqual(runs["lstm-3"]["status"], "finished")   # ended again as it was
        self.assertEqual(runs["diverged"]["status"], "failed")   # written to, and failed still
        self.assertEqual(runs["diverged"]["tags"]["reviewed"], "yes")
        self.assertEqual(runs["rf-4"]["tags"]["runlens.lifecycle_stage"], "deleted")


@needs("torch", "numpy")
class PyTorchProject(DropInBase):
    def test_training_loop_logs_and_saves_a_model_that_loads_back(self):
        out = self.script("""
            import numpy as np
            import torch
            from torch import nn
            import runlens.mlflow as mlflow

            torch.manual_seed(0)
            X = torch.randn(256, 4)
            y = (X @ torch.tensor([1.0, -2.0, 0.5, 3.0])).unsqueeze(1)
            model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
            optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
            loss_fn = nn.MSELoss()
            mlflow.set_experiment("regression-torch")
            with mlflow.start_run(run_name="mlp") as run:
                mlflow.log_params({"lr": 0.01, "hidden": 16, "epochs": 30})
                for epoch in range(30):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X), y)
                    loss.backward()
                    optimizer.step()
                    mlflow.log_metric("train_loss", loss.item(), step=epoch)
                signature = mlflow.models.infer_signature(X.numpy(), model(X).detach().numpy())
                mlflow.pytorch.log_model(model, "model", signature=signature)
                np.save("x.npy", X.numpy())
                np.save("expected.npy", model(X).detach().numpy())
            print(run.info.run_id)
            """)
        run_id = out.strip()
        run = [r for r in self.runs() if r["id"] == run_id][0]
        self.assertEqual(run["metrics"]["train_loss"]["count"], 30)
        self.assertLess(run["metrics"]["train_loss"]["last"], run["metrics"]["train_loss"]["max"])
        paths = {a["path"] for a in self.show(run_id)["artifacts"]}
        self.assertTrue({"model/MLmodel", "model/data/model.pth", "model/requirements.txt",
                         "model/python_env.yaml"} <= paths, paths)
        out = self.script(f"""
            import numpy as np, torch
            import runlens.mlflow as mlflow
            X, expected = np.load("x.npy"), np.load("expected.npy")
            model = mlflow.pytorch.load_model("runs:/{run_id}/model")
            assert np.allclose(model(torch.from_numpy(X)).detach().numpy(), expected)
            assert np.allclose(mlflow.pyfunc.load_model("runs:/{run_id}/model").predict(X), expected, atol=1e-6)
            print("ok")
            """)
        self.assertEqual(out.strip(), "ok")


@needs("numpy")
class LightGBMProject(DropInBase):
    """lightgbm.train and the scikit-learn API under autolog, models saved and loaded back; against
    LightGBM where the machine has it, else the stand-in (standins/README.md)."""

    def lgb(self, body):
        return self.script(body, frameworks=("lightgbm",))

    def test_autolog_with_early_stopping_logs_params_iterations_importance_and_model(self):
        out = self.lgb("""
            import json, os
            import numpy as np
            import lightgbm as lgb
            import runlens.mlflow as mlflow
            rng = np.random.default_rng(0)
            X = rng.normal(size=(300, 4))
            y = X @ np.array([2.0, -1.0, 0.5, 0.0]) + rng.normal(scale=0.1, size=300)
            train, valid = lgb.Dataset(X[:200], label=y[:200]), lgb.Dataset(X[200:], label=y[200:])
            mlflow.lightgbm.autolog()
            evals = {}   # LightGBM's own record of every iteration trained, to count them
            with mlflow.start_run(run_name="lgb") as run:
                booster = lgb.train({"objective": "regression", "learning_rate": 0.3, "num_leaves": 15}, train,
                                    num_boost_round=400, valid_sets=[train, valid], valid_names=["train", "valid"],
                                    callbacks=[lgb.early_stopping(3, verbose=False), lgb.record_evaluation(evals)])
            loaded = mlflow.lightgbm.load_model(f"runs:/{run.info.run_id}/model")
            assert np.allclose(loaded.predict(X[200:]), booster.predict(X[200:]))
            pyfunc = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
            assert np.allclose(pyfunc.predict(X[200:]), booster.predict(X[200:]))
            meta = mlflow.models.Model.load(os.path.join(mlflow.artifacts.download_artifacts(
                f"runs:/{run.info.run_id}/model"), "MLmodel"))
            print(json.dumps({"run": run.info.run_id, "best": booster.best_iteration,
                              "done": len(evals["valid"]["l2"]), "flavors": meta.flavors}))
            """)
        got = json.loads(out.strip().splitlines()[-1])
        best, done = got["best"], got["done"]
        self.assertGreater(best, 0)
        self.assertLess(done, 400, "early stopping did not stop")
        flavor = got["flavors"]["lightgbm"]
        self.assertEqual((flavor["data"], flavor["model_class"]), ("model.lgb", "lightgbm.basic.Booster"))
        self.assertEqual(got["flavors"]["python_function"]["loader_module"], "mlflow.lightgbm")
        run = [r for r in self.runs() if r["id"] == got["run"]][0]
        self.assertEqual(run["params"]["learning_rate"], 0.3)
        self.assertEqual(run["params"]["num_boost_round"], 400)       # train()'s argument
        self.assertEqual(run["params"]["keep_training_booster"], False)  # and its defaults, as MLflow
        self.assertNotIn("valid_sets", run["params"])
        # Every iteration trained, then the best iteration's metrics one step after the last (MLflow's layout).
        self.assertEqual(run["metrics"]["valid-l2"]["count"], done + 1)
        self.assertEqual(run["metrics"]["valid-l2"]["last_step"], done)
        self.assertEqual(run["metrics"]["train-l2"]["count"], done + 1)
        self.assertEqual(run["metrics"]["best_iteration"]["last"], best)
        self.assertEqual(run["metrics"]["stopped_iteration"]["last"], done)
        show = self.show(got["run"])
        paths = {a["path"] for a in show["artifacts"]}
        self.assertTrue({"model/model.lgb", "model/MLmodel", "model/requirements.txt", "model/python_env.yaml",
                         "feature_importance_split.json", "feature_importance_gain.json"} <= paths, paths)

    def test_best_iteration_metrics_are_those_of_the_best_iteration(self):
        out = self.lgb("""
            import numpy as np
            import lightgbm as lgb
            import runlens.mlflow as mlflow
            from runlens.mlflow.tracking import MlflowClient
            rng = np.random.default_rng(1)
            X = rng.normal(size=(120, 3)); y = X[:, 0] + rng.normal(scale=2.0, size=120)
            mlflow.lightgbm.autolog(log_models=False)
            with mlflow.start_run() as run:
                b = lgb.train({"learning_rate": 0.9}, lgb.Dataset(X[:60], label=y[:60]), 50,
                              valid_sets=[lgb.Dataset(X[60:], label=y[60:])], valid_names=["v"],
                              callbacks=[lgb.early_stopping(2)])
            history = MlflowClient().get_metric_history(run.info.run_id, "v-l2")
            by_step = {m.step: m.value for m in history}
            last = max(by_step)
            assert by_step[last] == by_step[b.best_iteration - 1], (by_step, b.best_iteration)
            print(run.info.run_id)
            """)
        paths = {a["path"] for a in self.show(out.split()[-1])["artifacts"]}
        self.assertFalse(any(p.startswith("model/") for p in paths), paths)   # log_models=False

    def test_scikit_learn_api_logs_once_and_a_pickled_model_loads_back(self):
        out = self.lgb("""
            import numpy as np
            import lightgbm as lgb
            import runlens.mlflow as mlflow
            X = np.arange(40, dtype=float).reshape(20, 2) / 10; y = X.sum(axis=1)
            mlflow.lightgbm.autolog(log_models=False)
            reg = lgb.LGBMRegressor(n_estimators=25, learning_rate=0.2).fit(X, y, eval_set=[(X[:10], y[:10])],
                                                                            eval_names=["holdout"])
            with mlflow.start_run() as run:
                info = mlflow.lightgbm.log_model(reg, name="sk")
            back = mlflow.lightgbm.load_model(info.model_uri)
            assert type(back) is type(reg) and np.allclose(back.predict(X), reg.predict(X))
            print(mlflow.last_active_run().info.run_id, info.flavors["lightgbm"]["data"])
            """)
        run_id, data = out.split()[-2:]
        self.assertEqual(data, "model.pkl")
        runs = self.runs()
        self.assertEqual(len(runs), 2)   # fit() outside a run made one; the explicit run the other
        autologged = [r for r in runs if r["id"] != run_id][0]
        self.assertEqual(autologged["params"]["num_boost_round"], 25)
        self.assertEqual(autologged["metrics"]["holdout-l2"]["count"], 25)   # not logged twice by nesting
        self.assertEqual(autologged["status"], "finished")

    @needs("sklearn")
    def test_a_search_over_lightgbm_logs_one_run_not_one_per_fold(self):
        out = self.lgb("""
            import numpy as np
            import lightgbm as lgb
            import runlens.mlflow as mlflow
            from sklearn.model_selection import GridSearchCV
            rng = np.random.default_rng(2)
            X = rng.normal(size=(60, 2)); y = X @ np.array([1.0, -1.0])
            mlflow.autolog(log_models=False)   # scikit-learn's and LightGBM's at once
            search = GridSearchCV(lgb.LGBMRegressor(n_estimators=5), {"learning_rate": [0.1, 0.3]}, cv=2).fit(X, y)
            print(search.best_params_["learning_rate"])
            """)
        runs = self.runs()
        self.assertEqual(len(runs), 1, [r["name"] for r in runs])   # the search's run; no run per fold
        self.assertEqual(runs[0]["params"]["best_learning_rate"], float(out.split()[-1]))

    def test_disable_turns_autolog_off(self):
        self.lgb("""
            import numpy as np
            import lightgbm as lgb
            import runlens.mlflow as mlflow
            mlflow.lightgbm.autolog()
            mlflow.lightgbm.autolog(disable=True)
            lgb.train({}, lgb.Dataset(np.ones((4, 1)), label=np.ones(4)), 3)
            with mlflow.start_run():
                lgb.train({"learning_rate": 0.5}, lgb.Dataset(np.ones((4, 1)), label=np.ones(4)), 3)
            """)
        runs = self.runs()
        self.assertEqual(len(runs), 1)       # only the script's own run: no autolog run
        self.assertEqual(runs[0]["params"], {})


@needs("numpy")
class KerasProject(DropInBase):
    """keras.Model.fit under autolog, MlflowCallback by hand, the model saved and loaded back;
    against Keras 3 where the machine has it, else the stand-in (standins/README.md)."""

    def keras(self, body, expect_rc=0):
        return self.script(body, expect_rc=expect_rc, frameworks=("keras",))

    def test_autolog_logs_fit_arguments_optimizer_epochs_summary_and_model(self):
        out = self.keras("""
            import json, os
            import numpy as np
            import keras
            import runlens.mlflow as mlflow
            rng = np.random.default_rng(0)
            x = rng.normal(size=(200, 3)); y = x @ np.array([1.0, -2.0, 0.5])
            model = keras.Sequential([keras.layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
            mlflow.keras.autolog()
            with mlflow.start_run() as run:
                # batch_size and epochs by position, as scripts often pass them: logged by name
                history = model.fit(x, y, 16, 6, 0, validation_split=0.25)
            loaded = mlflow.keras.load_model(f"runs:/{run.info.run_id}/model")
            assert np.allclose(loaded.predict(x[:5], verbose=0), model.predict(x[:5], verbose=0))
            pyfunc = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
            assert np.allclose(pyfunc.predict(x[:5]), model.predict(x[:5], verbose=0))
            meta = mlflow.models.Model.load(os.path.join(mlflow.artifacts.download_artifacts(
                f"runs:/{run.info.run_id}/model"), "MLmodel"))
            print(json.dumps({"run": run.info.run_id, "loss": history.history["loss"], "flavors": meta.flavors}))
            """)
        got = json.loads(out.strip().splitlines()[-1])
        flavor = got["flavors"]["keras"]
        self.assertEqual((flavor["data"], flavor["save_exported_model"]), ("data", False))
        self.assertEqual(got["flavors"]["python_function"]["loader_module"], "mlflow.keras")
        run = [r for r in self.runs() if r["id"] == got["run"]][0]
        self.assertEqual(run["params"]["batch_size"], 16)
        self.assertEqual(run["params"]["epochs"], 6)
        self.assertEqual(run["params"]["validation_split"], 0.25)
        self.assertAlmostEqual(run["params"]["optimizer_learning_rate"], 0.05, places=6)   # float32 in Keras
        self.assertNotIn("x", run["params"])
        self.assertEqual(run["metrics"]["loss"]["count"], 6)
        self.assertEqual(run["metrics"]["loss"]["last_step"], 5)
        self.assertAlmostEqual(run["metrics"]["loss"]["last"], got["loss"][-1], places=6)
        self.assertEqual(run["metrics"]["val_loss"]["count"], 6)
        self.assertIn("validation_loss", run["metrics"])
        paths = {a["path"] for a in self.show(got["run"])["artifacts"]}
        self.assertTrue({"model/data/model.keras", "model/data/keras_module.txt", "model/MLmodel",
                         "model_summary.txt"} <= paths, paths)

    def test_callback_by_hand_and_the_callback_twice_refused(self):
        out = self.keras("""
            import numpy as np
            import keras
            import runlens.mlflow as mlflow
            from runlens.mlflow.exceptions import MlflowException
            x = np.ones((8, 2)); y = np.ones(8)
            model = keras.Sequential([keras.layers.Dense(1)])
            model.compile(optimizer="sgd", loss="mse")
            with mlflow.start_run() as run:
                model.fit(x, y, 4, 3, 0, [mlflow.keras.MlflowCallback(log_every_epoch=False, log_every_n_steps=1)])
            mlflow.keras.autolog(log_models=False)
            try:
                model.fit(x, y, epochs=1, callbacks=[mlflow.keras.MlflowCallback()])
            except MlflowException as e:
                print("refused", e.error_code)
            print(run.info.run_id)
            """)
        self.assertIn("refused INVALID_PARAMETER_VALUE", out)
        by_hand = [r for r in self.runs() if r["id"] == out.split()[-1]][0]
        self.assertEqual(by_hand["metrics"]["loss"]["count"], 6)    # every batch: 2 a epoch, 3 epochs
        self.assertEqual(by_hand["metrics"]["loss"]["last_step"], 6)
        self.assertNotIn("epochs", by_hand["params"])               # the callback alone logs no fit() args
        refused = [r for r in self.runs() if r["id"] != by_hand["id"]]
        self.assertEqual([r["status"] for r in refused], ["failed"])  # autolog's own run ends FAILED


@needs("xgboost", "sklearn", "numpy")
class XGBoostProject(DropInBase):
    def test_autolog_with_early_stopping(self):
        out = self.script("""
            import xgboost as xgb
            import runlens.mlflow as mlflow
            from sklearn.datasets import load_breast_cancer
            from sklearn.model_selection import train_test_split
            X, y = load_breast_cancer(return_X_y=True)
            X_tr, X_va, y_tr, y_va = train_test_split(X, y, random_state=0)
            mlflow.xgboost.autolog()
            dtrain, dvalid = xgb.DMatrix(X_tr, label=y_tr), xgb.DMatrix(X_va, label=y_va)
            with mlflow.start_run(run_name="xgb") as run:
                booster = xgb.train({"objective": "binary:logistic", "eval_metric": "logloss", "max_depth": 3,
                                     "eta": 0.3}, dtrain, num_boost_round=200, evals=[(dtrain, "train"),
                                                                                      (dvalid, "valid")],
                                    early_stopping_rounds=5, verbose_eval=False)
            loaded = mlflow.xgboost.load_model(f"runs:/{run.info.run_id}/model")
            assert (loaded.predict(dvalid) == booster.predict(dvalid)).all()
            print(run.info.run_id, booster.best_iteration, booster.num_boosted_rounds())
            """)
        run_id, best, rounds = out.split()
        run = [r for r in self.runs() if r["id"] == run_id][0]
        self.assertEqual(run["params"]["max_depth"], 3)
        self.assertEqual(run["params"]["num_boost_round"], 200)
        self.assertEqual(run["params"]["early_stopping_rounds"], 5)
        self.assertEqual(run["metrics"]["valid-logloss"]["count"], int(rounds))
        self.assertEqual(run["metrics"]["train-logloss"]["last_step"], int(rounds) - 1)
        self.assertEqual(run["metrics"]["best_iteration"]["last"], int(best))
        self.assertLess(int(rounds), 200)
        paths = {a["path"] for a in self.show(run_id)["artifacts"]}
        self.assertIn("model/model.xgb", paths)


class ModelRegistry(DropInBase):
    """The registry steps of MLflow projects (register_model, MlflowClient's registry calls, aliases,
    stages, models:/ URIs), kept in the Runlens store; no ML framework needed."""

    def test_model_versions_come_in_mlflows_default_order(self):
        out = self.script("""
            import os
            import runlens.mlflow as mlflow
            from runlens.mlflow.tracking import MlflowClient
            for name in ("zeta", "alpha", "zeta", "zeta", "alpha"):
                os.makedirs(name, exist_ok=True)
                mlflow.register_model(os.path.abspath(name), name)
            client = MlflowClient()
            print([(v.name, v.version) for v in client.search_model_versions()])
            print([(v.name, v.version) for v in client.search_model_versions(order_by=["version_number ASC"])])
            """)
        default, by_version = out.strip().splitlines()
        # By name, then the newest version first; an order_by keeps the rest of the default behind it.
        self.assertEqual(default, "[('alpha', 2), ('alpha', 1), ('zeta', 3), ('zeta', 2), ('zeta', 1)]")
        self.assertEqual(by_version, "[('alpha', 1), ('zeta', 1), ('alpha', 2), ('zeta', 2), ('zeta', 3)]")

    def test_registry_workflow_of_a_training_project(self):
        out = self.script("""
            import json, os
            import runlens.mlflow as mlflow
            from runlens.mlflow.tracking import MlflowClient
            from runlens.mlflow.exceptions import MlflowException

            mlflow.set_experiment("churn")
            ids = []
            for i, acc in enumerate([0.81, 0.86, 0.84]):
                with mlflow.start_run(run_name=f"gbm-{i}") as run:
                    mlflow.log_param("depth", i + 3)
                    mlflow.log_metric("val_acc", acc)
                    os.makedirs(f"model{i}", exist_ok=True)
                    with open(f"model{i}/weights.json", "w") as fh:
                        json.dump({"depth": i + 3}, fh)
                    mlflow.log_artifacts(f"model{i}", "model")
                    ids.append(run.info.run_id)

            # dmatrix/misc-code: create the model, then versions from runs
            client = MlflowClient()
            rm = client.create_registered_model("churn-model", tags={"team": "growth"}, description="who leaves")
            assert rm.name == "churn-model" and rm.tags == {"team": "growth"}, rm
            v1 = client.create_model_version("churn-model", f"runs:/{ids[0]}/model", run_id=ids[0])
            # the fluent register_model, as most projects call it
            v2 = mlflow.register_model(f"runs:/{ids[1]}/model", "churn-model", tags={"note": "best"})
            v3 = mlflow.register_model(f"runs:/{ids[2]}/model", "churn-model")
            assert (v1.version, v2.version, v3.version) == (1, 2, 3), (v1, v2, v3)
            assert v2.run_id == ids[1] and v2.tags == {"note": "best"} and v2.current_stage == "None"
            try:
                client.create_registered_model("churn-model")
            except MlflowException as e:
                print("exists", e.error_code)

            # the champion/challenger aliases, and MLflow's (deprecated, still used) stages
            client.set_registered_model_alias("churn-model", "champion", "1")
            client.set_registered_model_alias("churn-model", "champion", v2.version)
            client.set_registered_model_alias("churn-model", "challenger", 3)
            client.transition_model_version_stage("churn-model", 1, "Production")
            client.transition_model_version_stage("churn-model", 2, "production", archive_existing_versions=True)
            client.update_model_version("churn-model", 2, description="depth 4, 0.86")
            client.set_model_version_tag("churn-model", 3, "validated", "no")
            champion = client.get_model_version_by_alias("churn-model", "champion")
            print("champion", champion.version, champion.run_id == ids[1], champion.aliases)
            print("stages", [(v.version, v.current_stage) for v in
                             client.search_model_versions("name = 'churn-model'", order_by=["version_number ASC"])])
            print("latest", [(v.version, v.current_stage) for v in client.get_latest_versions("churn-model")])
            print("production", [v.version for v in client.get_latest_versions("churn-model", stages=["Production"])])
            print("by run", [v.version for v in client.search_model_versions(f"run_id = '{ids[2]}'")])
            print("tagged", [v.version for v in client.search_model_versions("tags.validated = 'no'")])
            print("models", [m.name for m in client.search_registered_models("name LIKE 'churn%'")],
                  [m.name for m in client.search_registered_models("tags.team = 'growth'")],
                  client.search_registered_models("name = 'other'"))
            print("description", client.get_model_version("churn-model", "2").description)
            m = client.get_registered_model("churn-model")
            print("aliases", sorted(m.aliases.items()))

            # models:/ URIs, by version, stage, alias and latest
            from runlens.mlflow.models import resolve_model_uri
            for uri in ("models:/churn-model/1", "models:/churn-model/Production", "models:/churn-model@champion",
                        "models:/churn-model/latest"):
                with open(os.path.join(resolve_model_uri(uri), "weights.json")) as fh:
                    print(uri, json.load(fh)["depth"])
            try:
                client.get_model_version("churn-model", 7)
            except MlflowException as e:
                print("missing", e.error_code)
            try:
                client.set_registered_model_alias("churn-model", "latest", 1)
            except MlflowException as e:
                print("reserved", e.error_code)
            client.delete_registered_model_alias("churn-model", "challenger")
            client.delete_model_version("churn-model", 3)
            v4 = client.create_model_version("churn-model", f"runs:/{ids[2]}/model")
            print("after delete", v4.version, v4.run_id == ids[2])
            """)
        lines = dict(line.split(" ", 1) for line in out.strip().splitlines())
        self.assertEqual(lines["exists"], "RESOURCE_ALREADY_EXISTS")
        self.assertEqual(lines["champion"], "2 True ['champion']")
        self.assertEqual(lines["stages"], "[(1, 'Archived'), (2, 'Production'), (3, 'None')]")
        self.assertEqual(lines["latest"], "[(1, 'Archived'), (2, 'Production'), (3, 'None')]")
        self.assertEqual(lines["production"], "[2]")
        self.assertEqual(lines["by"], "run [3]")
        self.assertEqual(lines["tagged"], "[3]")
        self.assertEqual(lines["models"], "['churn-model'] ['churn-model'] []")
        self.assertEqual(lines["description"], "depth 4, 0.86")
        self.assertEqual(lines["aliases"], "[('challenger', 3), ('champion', 2)]")
        self.assertEqual(lines["models:/churn-model/1"], "3")
        self.assertEqual(lines["models:/churn-model/Production"], "4")
        self.assertEqual(lines["models:/churn-model@champion"], "4")
        self.assertEqual(lines["models:/churn-model/latest"], "5")
        self.assertEqual(lines["missing"], "RESOURCE_DOES_NOT_EXIST")
        self.assertEqual(lines["reserved"], "INVALID_PARAMETER_VALUE")
        self.assertEqual(lines["after"], "delete 4 True")

        # What the app and the CLI see: each registered run is a candidate whose record names the version.
        for run in self.runs():
            record = json.loads(run["tags"]["runlens.candidate"])
            self.assertEqual(record["model"], "churn-model")
            self.assertIn(record["version"], (1, 2, 3, 4))
            self.assertIn("val_acc", record["metrics"])
        models = json.loads(self.cli("models", self.store, "--format", "json"))
        self.assertEqual([m["name"] for m in models["models"]], ["churn-model"])
        versions = {v["version"]: v for v in models["models"][0]["versions"]}
        self.assertEqual(sorted(versions), [1, 2, 4])
        self.assertEqual(versions[2]["aliases"], ["champion"])
        self.assertEqual(versions[2]["stage"], "Production")
        self.assertEqual(versions[2]["run_name"], "gbm-1")
        table = self.cli("models", self.store)
        self.assertIn("churn-model", table)
        self.assertIn("champion", table)

    @needs("sklearn", "numpy")
    def test_a_registered_sklearn_model_loads_by_alias_and_predicts_the_same(self):
        out = self.script("""
            import numpy as np
            import runlens.mlflow as mlflow
            from runlens.mlflow import MlflowClient
            from sklearn.datasets import load_wine
            from sklearn.ensemble import RandomForestClassifier
            X, y = load_wine(return_X_y=True)
            with mlflow.start_run(run_name="forest") as run:
                model = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
                mlflow.log_metric("train_acc", model.score(X, y))
                info = mlflow.sklearn.log_model(model, name="model", registered_model_name="wine")
            MlflowClient().set_registered_model_alias("wine", "champion", info.registered_model_version)
            by_alias = mlflow.sklearn.load_model("models:/wine@champion")
            by_version = mlflow.pyfunc.load_model("models:/wine/1")
            expected = model.predict(X)
            print(bool(np.array_equal(by_alias.predict(X), expected)),
                  bool(np.array_equal(np.asarray(by_version.predict(X)), expected)))
            """)
        self.assertEqual(out.split(), ["True", "True"])
        forest = {r["name"]: r for r in self.runs()}["forest"]
        self.assertEqual(json.loads(forest["tags"]["runlens.candidate"])["version"], 1)

    def test_log_model_with_registered_model_name_registers_each_call(self):
        self.script("""
            import runlens.mlflow as mlflow
            from runlens.mlflow.models import Model, log_saved_model

            def save(path, mlflow_model=None):
                import os
                os.makedirs(path)
                with open(os.path.join(path, "weights.txt"), "w") as fh:
                    fh.write("w")
                mlflow_model.save(os.path.join(path, "MLmodel"))

            for i in range(2):
                with mlflow.start_run(run_name=f"r{i}"):
                    mlflow.log_metric("acc", 0.9 + i / 100)
                    info = log_saved_model(save, name="model", registered_model_name="clf")
                    assert info.registered_model_version == i + 1, info.registered_model_version
            # Registered straight after logging, nothing else written in between.
            with mlflow.start_run(run_name="quick") as run:
                mlflow.log_metric("loss", 0.25)
                mlflow.register_model(f"runs:/{run.info.run_id}/model", "quick")
            """)
        models = json.loads(self.cli("models", self.store, "--format", "json"))
        self.assertEqual([v["version"] for v in models["models"][0]["versions"]], [1, 2])
        # Registered while the run was logging: the record holds what it had logged by then.
        self.assertEqual([v["metrics"] for v in models["models"][0]["versions"]], [{"acc": 0.9}, {"acc": 0.91}])
        self.assertEqual([v["metrics_when_registered"] for v in models["models"][0]["versions"]], [True, True])
        quick = json.loads(self.cli("models", self.store, "quick", "--format", "json"))["models"][0]["versions"][0]
        self.assertEqual((quick["metrics"], quick["metrics_when_registered"]), ({"loss": 0.25}, True))


class Evaluate(DropInBase):
    """mlflow.evaluate: MLflow's default metrics, computed without scikit-learn, equal to scikit-learn's."""

    def test_regressor_on_plain_lists_needs_no_framework(self):
        out = self.script("""
            import json
            import runlens.mlflow as mlflow
            # A function as the model, lists as the data: no NumPy, pandas or scikit-learn involved.
            with mlflow.start_run(run_name="by-hand") as run:
                result = mlflow.evaluate(lambda xs: [2 * x[0] for x in xs], [[1], [2], [3], [4]],
                                         targets=[2.5, 4.0, 5.0, 9.0], model_type="regressor")
            print(json.dumps(result.metrics, sort_keys=True))
            # Without an active run evaluate makes one and ends it, as MLflow does.
            other = mlflow.evaluate(lambda xs: [x[0] for x in xs], [[1], [0], [1]], targets=[1, 0, 0],
                                    model_type="classifier")
            print(other.run_id, json.dumps(other.metrics, sort_keys=True))
            # Labels 1 and 2: the positive one is 2, the last of the sorted labels, as MLflow's.
            twos = mlflow.evaluate(lambda xs: [x[0] for x in xs], [[1], [2], [2], [1]], targets=[1, 2, 2, 2],
                                   model_type="classifier")
            print(json.dumps(twos.metrics, sort_keys=True))
            try:
                mlflow.evaluate(lambda xs: xs, [[1]], targets=[1], model_type="question-answering")
            except mlflow.exceptions.MlflowException as e:
                print(e.error_code)
            """)
        lines = out.strip().splitlines()
        m = json.loads(lines[0])
        # errors 0.5, 0, 1, -1: by hand
        self.assertEqual(m["example_count"], 4)
        self.assertAlmostEqual(m["mean_absolute_error"], 0.625)
        self.assertAlmostEqual(m["mean_squared_error"], 0.5625)
        self.assertAlmostEqual(m["root_mean_squared_error"], 0.75)
        self.assertAlmostEqual(m["max_error"], 1.0)
        self.assertAlmostEqual(m["sum_on_target"], 20.5)
        self.assertAlmostEqual(m["mean_on_target"], 5.125)
        self.assertAlmostEqual(m["r2_score"], 1 - 2.25 / 23.1875)
        self.assertAlmostEqual(m["mean_absolute_percentage_error"], (0.5 / 2.5 + 0 + 1 / 5 + 1 / 9) / 4)
        other_id, other = lines[1].split(" ", 1)
        other = json.loads(other)
        # predicted 1, 0, 1 for 1, 0, 0: one false positive
        self.assertEqual((other["true_positives"], other["false_positives"], other["true_negatives"],
                          other["false_negatives"]), (1, 1, 1, 0))
        self.assertAlmostEqual(other["precision_score"], 0.5)
        self.assertAlmostEqual(other["recall_score"], 1.0)
        self.assertAlmostEqual(other["accuracy_score"], 2 / 3)
        self.assertNotIn("roc_auc", other)   # a function has no probabilities
        twos = json.loads(lines[2])
        self.assertEqual((twos["true_positives"], twos["false_positives"], twos["false_negatives"]), (2, 0, 1))
        self.assertAlmostEqual(twos["precision_score"], 1.0)
        self.assertAlmostEqual(twos["recall_score"], 2 / 3)
        self.assertEqual(lines[3], "NOT_IMPLEMENTED")
        made = self.show(other_id)
        self.assertEqual(made["status"], "finished")
        self.assertAlmostEqual(made["metrics"]["precision_score"]["last"], 0.5)
        run = {r["name"]: r for r in self.runs()}["by-hand"]
        self.assertAlmostEqual(run["metrics"]["r2_score"]["last"], m["r2_score"])

    @needs("sklearn", "pandas", "numpy")
    def test_classifiers_and_regressors_match_scikit_learn(self):
        out = self.script("""
            import json
            import numpy as np
            import pandas as pd
            import runlens.mlflow as mlflow
            from sklearn import metrics as sk
            from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
            from sklearn.linear_model import LogisticRegression, Ridge
            from sklearn.model_selection import train_test_split
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler

            report = {}
            # Binary: a logged model evaluated by its URI on a DataFrame, as the MLflow docs do.
            X, y = load_breast_cancer(return_X_y=True, as_frame=True)
            X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=1)
            clf = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=500)).fit(X_train, y_train)
            with mlflow.start_run(run_name="binary") as run:
                info = mlflow.sklearn.log_model(clf, "model")
                result = mlflow.evaluate(info.model_uri, X_test.assign(label=y_test), targets="label",
                                         model_type="classifier")
            proba = clf.predict_proba(X_test)[:, 1]
            pred = clf.predict(X_test)
            tn, fp, fn, tp = sk.confusion_matrix(y_test, pred).ravel()
            report["binary"] = (result.metrics, {
                "accuracy_score": sk.accuracy_score(y_test, pred), "precision_score": sk.precision_score(y_test, pred),
                "recall_score": sk.recall_score(y_test, pred), "f1_score": sk.f1_score(y_test, pred),
                "roc_auc": sk.roc_auc_score(y_test, proba), "log_loss": sk.log_loss(y_test, proba),
                "precision_recall_auc": sk.average_precision_score(y_test, proba), "true_negatives": int(tn),
                "false_positives": int(fp), "false_negatives": int(fn), "true_positives": int(tp),
                "example_count": len(y_test)})

            # Multiclass: weighted averages, one-vs-rest AUC weighted by support.
            X, y = load_iris(return_X_y=True, as_frame=True)
            X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=3)
            clf = LogisticRegression(C=0.02, max_iter=500).fit(X_train, y_train)
            result = mlflow.evaluate(clf, X_test.assign(species=y_test), targets="species", model_type="classifier")
            proba, pred = clf.predict_proba(X_test), clf.predict(X_test)
            report["multiclass"] = (result.metrics, {
                "accuracy_score": sk.accuracy_score(y_test, pred),
                "precision_score": sk.precision_score(y_test, pred, average="weighted", zero_division=0),
                "recall_score": sk.recall_score(y_test, pred, average="weighted"),
                "f1_score": sk.f1_score(y_test, pred, average="weighted"),
                "log_loss": sk.log_loss(y_test, proba),
                "roc_auc": sk.roc_auc_score(y_test, proba, multi_class="ovr", average="weighted")})

            # Data holding two of the model's three classes: still the model's three probabilities.
            keep = (y_test != 0).to_numpy()
            subset = mlflow.evaluate(clf, X_test[keep].assign(species=y_test[keep]), targets="species",
                                     model_type="classifier")
            report["subset"] = (subset.metrics, {
                "accuracy_score": sk.accuracy_score(y_test[keep], pred[keep]),
                "example_count": int(keep.sum()),
                "log_loss": sk.log_loss(y_test[keep], proba[keep], labels=[0, 1, 2])})

            # Regressor, arrays in and out.
            X, y = load_diabetes(return_X_y=True)
            reg = Ridge(alpha=0.5).fit(X[:300], y[:300])
            result = mlflow.evaluate(reg, X[300:], targets=y[300:], model_type="regressor")
            pred = reg.predict(X[300:])
            report["regressor"] = (result.metrics, {
                "mean_absolute_error": sk.mean_absolute_error(y[300:], pred),
                "mean_squared_error": sk.mean_squared_error(y[300:], pred),
                "root_mean_squared_error": sk.mean_squared_error(y[300:], pred) ** 0.5,
                "r2_score": sk.r2_score(y[300:], pred), "max_error": sk.max_error(y[300:], pred),
                "mean_absolute_percentage_error": sk.mean_absolute_percentage_error(y[300:], pred),
                "sum_on_target": float(np.sum(y[300:])), "mean_on_target": float(np.mean(y[300:]))})
            print(json.dumps(report))
            """)
        report = json.loads(out)
        for case, (ours, sklearns) in report.items():
            for key, expected in sklearns.items():
                with self.subTest(case=case, metric=key):
                    self.assertIn(key, ours)
                    self.assertAlmostEqual(ours[key], expected, places=9)
        run = {r["name"]: r for r in self.runs()}["binary"]
        self.assertAlmostEqual(run["metrics"]["roc_auc"]["last"], report["binary"][1]["roc_auc"], places=9)


class RunEditsAfterTheRun(DropInBase):
    """delete_tag and update_run(name=): edits kept in the run's edit history, as the app's."""

    def test_delete_tag_and_rename(self):
        out = self.script("""
            import runlens.mlflow as mlflow
            from runlens.mlflow.tracking import MlflowClient
            with mlflow.start_run(run_name="draft") as run:
                mlflow.set_tags({"stage": "wip", "owner": "ana"})
                mlflow.delete_tag("stage")   # the run is still logging: its buffered tag goes first
            client = MlflowClient()
            client.update_run(run.info.run_id, name="final")
            client.set_tag(run.info.run_id, "reviewed", "yes")
            client.delete_tag(run.info.run_id, "owner")
            try:
                client.delete_tag(run.info.run_id, "owner")
            except mlflow.exceptions.MlflowException as e:
                print(e.error_code)
            print(run.info.run_id)
            """)
        code, run_id = out.split()
        self.assertEqual(code, "RESOURCE_DOES_NOT_EXIST")
        shown = self.show(run_id)
        self.assertEqual(shown["name"], "final")
        self.assertEqual(shown["status"], "finished")
        self.assertEqual({k: v for k, v in shown["tags"].items() if not k.startswith("runlens.")}, {"reviewed": "yes"})
        import sqlite3
        with sqlite3.connect(f"file:{self.store}?mode=ro", uri=True) as db:
            events = db.execute("SELECT field, key, old_value, new_value FROM run_events WHERE run_id=? ORDER BY id",
                                (run_id,)).fetchall()
        self.assertEqual(events, [("tag", "stage", "wip", None), ("name", "", "draft", "final"),
                                  ("tag", "owner", "ana", None)])


class SpellingsOfRealProjects(DropInBase):
    """Spellings the coverage sample (docs/mlflow-compatibility.md) found in public projects."""

    def test_file_uris_tag_constants_and_dataset_modules(self):
        out = self.script("""
            import os
            import runlens.mlflow as mlflow
            from runlens.mlflow.utils.mlflow_tags import MLFLOW_RUN_NAME
            from runlens.mlflow.data import pandas_dataset, numpy_dataset  # noqa: F401
            # MLflow's file store spelling: a folder made as MLflow makes it, the store inside.
            mlflow.set_tracking_uri("file:./mlruns")
            with mlflow.start_run(tags={MLFLOW_RUN_NAME: "from-a-file-uri"}):
                mlflow.log_metric("loss", 0.5)
            print(os.path.isdir("mlruns"), os.path.isfile(os.path.join("mlruns", "runlens.db")))
            # An existing folder named as a plain path holds the store too.
            mlflow.set_tracking_uri("mlruns")
            print(mlflow.search_runs(output_format="list")[0].info.run_name)
            try:
                mlflow.set_tracking_uri("databricks")
            except mlflow.exceptions.MlflowException as e:
                print(e.error_code)
            """)
        self.assertEqual(out.split(), ["True", "True", "from-a-file-uri", "INVALID_PARAMETER_VALUE"])

    @needs("pandas", "numpy")
    def test_evaluate_takes_a_dataset(self):
        out = self.script("""
            import pandas as pd
            import runlens.mlflow as mlflow
            df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 4.0, 6.0, 9.0]})
            dataset = mlflow.data.from_pandas(df, targets="y", name="toy")
            with mlflow.start_run():
                result = mlflow.evaluate(lambda frame: frame["x"] * 2, data=dataset, model_type="regressor")
            print(result.metrics["example_count"], result.metrics["max_error"])
            """)
        self.assertEqual(out.split(), ["4", "1.0"])


class FilterTranslation(unittest.TestCase):
    """MLflow filter strings in Runlens's query language (no store needed)."""

    def test_translations(self):
        from runlens.mlflow import _filter
        cases = {
            "metrics.rmse < 0.8 and params.model = 'rf'": 'metrics.rmse < 0.8 and params.model = "rf"',
            "attributes.status = 'FAILED'": "status in (failed, crashed)",
            "tags.\"mlflow.runName\" LIKE 'a%'": 'name ~ "^a.*$"',
            "params.`my key` IN ('1', '2')": 'params.`my key` in ("1", "2")',
            "tags.team ILIKE 'vi_ion'": 'tags.team ~ "(?i)^vi.ion$"',
            "attributes.run_id = 'abc' or metrics.acc >= 0.5": '(id = "abc") or metrics.acc >= 0.5'
            .replace('(id = "abc")', 'id = "abc"'),
        }
        for mlflow_filter, runlens_query in cases.items():
            self.assertEqual(_filter.to_runlens_query(_filter.parse_filter(mlflow_filter)), runlens_query)
        order = _filter.parse_order_by(["metrics.rmse DESC", "params.lr"])
        self.assertEqual(_filter.to_runlens_query(None, order), "order by metrics.rmse desc, params.lr")
        from runlens.mlflow.exceptions import MlflowException
        for bad in ("metrics.rmse <", "foo.bar = 1", "metrics.rmse = 'abc'", "params.x IN 'a'"):
            with self.assertRaises(MlflowException, msg=bad):
                _filter.parse_filter(bad)


if __name__ == "__main__":
    unittest.main()
