"""Run the independent verifiers (tests/interop/verify.mjs: Digital Bazaar's @digitalbazaar/vc,
data-integrity, eddsa-rdfc-2022-cryptosuite, vc-bitstring-status-list, jsonld + rdf-canonize, and
jose), installed from the npm registry at the versions pinned in package-lock.json into the
git-ignored tests/interop/node_modules. Used by the interop test and by benchmarks/credentials.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
CONTEXTS = HERE.parents[1] / "src/zhijiao/adapters/signing/contexts"


def node_missing() -> str | None:
    """Why the Node verifiers cannot run here, or None."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} not found: the Node.js verifiers (Digital Bazaar, jose) are skipped"
    return None


def install() -> None:
    """`npm ci` once (again when package-lock.json changed)."""
    stamp = HERE / "node_modules/.zhijiao-lock"
    lock = (HERE / "package-lock.json").read_text("utf-8")
    if stamp.exists() and stamp.read_text("utf-8") == lock:
        return
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE, check=True, timeout=600, capture_output=True,
    )  # fmt: skip
    stamp.write_text(lock, "utf-8")


def run(
    documents: dict[str, Any], credentials: list[dict[str, Any]], status_lists: list[str]
) -> dict[str, Any]:
    bundle = {"contextsDir": str(CONTEXTS), "documents": documents, "credentials": credentials,
              "statusLists": status_lists}  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as f:
        json.dump(bundle, f, ensure_ascii=False)
        f.flush()
        done = subprocess.run(
            ["node", str(HERE / "verify.mjs"), f.name],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"verify.mjs failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result
