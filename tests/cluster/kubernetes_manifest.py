#!/usr/bin/env python3
"""Validates resources/cluster/kubernetes-sweep*.yaml, which cannot run here: the shape of the
Indexed Job and the merge Job, and what their shell commands actually run. Each container command
is executed by /bin/sh with a stub `capsim` that records its arguments, once per completion index,
so the test sees the real --shard I/N and --out of every pod; the shard Job's --vary list is then
checked by the real capsim (`sweep --list`) against the default scenario. A self-test breaks the
manifests in ways that must be caught.

usage: kubernetes_manifest.py CAPSIM SOURCE_DIR
"""
import copy
import os
import subprocess
import sys
import tempfile

import yaml

STUB = """#!/bin/sh
out="$CAPSIM_STUB_OUT"
for a in "$@"; do printf '%s\\0' "$a" >> "$out"; done
"""


def run_command(container, env, tmp):
    """Runs the container's command as the pod would, with a stub capsim; returns its arguments."""
    stub_dir = os.path.join(tmp, "bin")
    os.makedirs(stub_dir, exist_ok=True)
    stub = os.path.join(stub_dir, "capsim")
    with open(stub, "w") as f:
        f.write(STUB)
    os.chmod(stub, 0o755)
    record = os.path.join(tmp, "args")
    if os.path.exists(record):
        os.remove(record)
    environment = {"PATH": stub_dir + ":/usr/bin:/bin", "CAPSIM_STUB_OUT": record}
    for e in container.get("env", []):
        environment[e["name"]] = str(e["value"])
    environment.update(env)
    argv = list(container.get("command", [])) + list(container.get("args", []))
    subprocess.run(argv, env=environment, check=True, cwd=tmp)
    with open(record, "rb") as f:
        return [a.decode() for a in f.read().split(b"\0")[:-1]]


def option(args, name):
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a == name]


def check(docs, merge_docs, capsim, source_dir):
    """Returns the list of problems found (empty when the manifests are right)."""
    problems = []
    claims = {d["metadata"]["name"]: d for d in docs if d and d.get("kind") == "PersistentVolumeClaim"}
    jobs = [d for d in docs if d and d.get("kind") == "Job"]
    merges = [d for d in merge_docs if d and d.get("kind") == "Job"]
    if len(jobs) != 1 or len(merges) != 1:
        return ["expected one shard Job and one merge Job, found %d and %d" % (len(jobs), len(merges))]
    job, merge = jobs[0], merges[0]
    for claim in claims.values():
        if "ReadWriteMany" not in claim["spec"].get("accessModes", []):
            problems.append("the claim %s is not ReadWriteMany: the pods on several nodes share it" % claim["metadata"]["name"])
    for j in (job, merge):
        if j.get("apiVersion") != "batch/v1":
            problems.append("%s: apiVersion is not batch/v1" % j["metadata"]["name"])
        pod = j["spec"]["template"]["spec"]
        if pod.get("restartPolicy") not in ("Never", "OnFailure"):
            problems.append("%s: a Job's restartPolicy is Never or OnFailure" % j["metadata"]["name"])
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for c in pod["containers"]:
            for m in c.get("volumeMounts", []):
                claim = volumes.get(m["name"], {}).get("persistentVolumeClaim", {}).get("claimName")
                if claim not in claims:
                    problems.append("%s: the volume %s is not the shared claim defined beside it" % (j["metadata"]["name"], m["name"]))
    spec = job["spec"]
    if spec.get("completionMode") != "Indexed":
        problems.append("the shard Job is not an Indexed Job (completionMode: Indexed gives JOB_COMPLETION_INDEX)")
    n = spec.get("completions")
    if not isinstance(n, int) or n < 1:
        return problems + ["the shard Job's completions is not a positive number"]
    if not isinstance(spec.get("parallelism", 1), int) or spec.get("parallelism", 1) > n:
        problems.append("parallelism above completions")
    container = spec["template"]["spec"]["containers"][0]
    shard_outs, shards, grids = [], [], set()
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(n):
            try:
                args = run_command(container, {"JOB_COMPLETION_INDEX": str(index)}, tmp)
            except subprocess.CalledProcessError as e:
                problems.append("the shard command fails for index %d: %s" % (index, e))
                continue
            if args[:1] != ["sweep"]:
                problems.append("index %d does not run capsim sweep: %s" % (index, args))
                continue
            shards += option(args, "--shard")
            shard_outs += option(args, "--out")
            grids.add((args[1], tuple(option(args, "--vary"))))
        expected = ["%d/%d" % (i, n) for i in range(1, n + 1)]
        if sorted(shards, key=lambda s: int(s.split("/")[0])) != expected:
            problems.append("the pods run shards %s, expected each of %s once" % (shards, expected))
        if len(set(shard_outs)) != n:
            problems.append("the pods' --out folders are not one per shard: %s" % shard_outs)
        if len(grids) != 1:
            problems.append("the pods do not all run the same scenario and --vary list: %s" % grids)
        merge_container = merge["spec"]["template"]["spec"]["containers"][0]
        try:
            margs = run_command(merge_container, {}, tmp)
            folders = [a for a in margs[1:] if not a.startswith("--") and a not in option(margs, "--out")
                       + option(margs, "--minimize") + option(margs, "--subject-to")]
            if margs[:1] != ["merge"]:
                problems.append("the merge Job does not run capsim merge: %s" % margs)
            elif sorted(folders) != sorted(shard_outs):
                problems.append("the merge joins %s, the shards write %s" % (folders, shard_outs))
            elif option(margs, "--out") and option(margs, "--out")[0] in shard_outs:
                problems.append("the merge writes into a shard folder")
        except subprocess.CalledProcessError as e:
            problems.append("the merge command fails: %s" % e)
    # The --vary paths and values are valid for the default scenario (the scenario the example mounts).
    if len(grids) == 1 and capsim:
        scenario, varies = next(iter(grids))
        argv = [capsim, "sweep", os.path.join(source_dir, "resources/default-scenario.json"), "--list"]
        for v in varies:
            argv += ["--vary", v]
        r = subprocess.run(argv, capture_output=True, text=True)
        if r.returncode != 0:
            problems.append("capsim refuses the --vary list: " + r.stderr.strip())
        elif len(r.stdout.strip().splitlines()) - 1 < n:
            problems.append("fewer points than shards: some pods would have nothing to do")
    return problems


def main():
    capsim, source_dir = sys.argv[1], sys.argv[2]
    with open(os.path.join(source_dir, "resources/cluster/kubernetes-sweep.yaml")) as f:
        docs = list(yaml.safe_load_all(f))
    with open(os.path.join(source_dir, "resources/cluster/kubernetes-sweep-merge.yaml")) as f:
        merge_docs = list(yaml.safe_load_all(f))
    problems = check(docs, merge_docs, capsim, source_dir)
    for p in problems:
        print("kubernetes manifest:", p)
    if problems:
        return 1

    # Self-test: each broken copy must be caught.
    def job_of(d):
        return next(x for x in d if x and x.get("kind") == "Job")

    def broken(edit):
        d, m = copy.deepcopy(docs), copy.deepcopy(merge_docs)
        edit(d, m)
        return check(d, m, None, source_dir)

    def args_of(d):
        return job_of(d)["spec"]["template"]["spec"]["containers"][0]["args"]

    breakages = {
        "not indexed": lambda d, m: job_of(d)["spec"].pop("completionMode"),
        "completions without SHARDS": lambda d, m: job_of(d)["spec"].update(completions=3, parallelism=3),
        "0-based shard": lambda d, m: args_of(d).__setitem__(0, args_of(d)[0].replace("JOB_COMPLETION_INDEX + 1", "JOB_COMPLETION_INDEX")),
        "merge SHARDS differs": lambda d, m: job_of(m)["spec"]["template"]["spec"]["containers"][0]["env"][0].update(value="3"),
        "restartPolicy Always": lambda d, m: job_of(d)["spec"]["template"]["spec"].update(restartPolicy="Always"),
    }
    failed = False
    for name, edit in breakages.items():
        if not broken(edit):
            print("kubernetes manifest self-test: '%s' was not caught" % name)
            failed = True
    if failed:
        return 1
    print("kubernetes manifest: OK (%d breakages caught)" % len(breakages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
