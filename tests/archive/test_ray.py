"""The same audit on a local Ray instance (Ray Data map_batches + grouped join) gives the
same incidents and chains as the local run."""

import json
import os
from functools import partial

import pytest

from baomi.archive import audit, write_outputs
from bench.archive_gen import bench_reviewer, generate

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": os.getcwd()}},
    )  # workers import bench/ like the driver
    yield
    ray.shutdown()


def test_ray_audit_matches_the_local_audit(local_ray, tmp_path):
    root = tmp_path / "arch"
    generate(root, messages=400, conversations=20, chains=3, seed=5, image_size=(120, 90))
    factory = partial(bench_reviewer, str(root / "ocr.json"))
    outputs = {}
    for name, kwargs in (("local", {"workers": 1}), ("ray", {"use_ray": True})):
        out = tmp_path / name
        result = audit(
            [root / "export"],
            out,
            roster=root / "roster.yaml",
            reviewer_factory=factory,
            chunk_size=50,
            **kwargs,
        )
        assert result.engine == name
        write_outputs(result, out)
        outputs[name] = {
            f: (out / f).read_text(encoding="utf-8") for f in ("incidents.jsonl", "chains.jsonl")
        }

    def chains(text):  # item ids are keyed per audit; compare everything else
        return [{k: v for k, v in json.loads(line).items() if k != "item"} for line in text.splitlines()]

    assert outputs["ray"]["incidents.jsonl"] == outputs["local"]["incidents.jsonl"] != ""
    assert chains(outputs["ray"]["chains.jsonl"]) == chains(outputs["local"]["chains.jsonl"]) != []
