#!/bin/bash
# Lints what can't run here: parses every YAML file of the repository (GitHub workflows, the
# OSS-Fuzz and ClusterFuzzLite project.yaml files, anything else), then checks
#   - each workflow's shape: triggers, jobs, steps that either run or use something, cron lines;
#   - that every script a workflow's run: blocks name (ci/*.sh, .ci/*, ./anything, any path into
#     a folder of the repository) exists, and is executable where it is run as a command;
#   - that every local action or reusable workflow (uses: ./...) exists, and every remote one is
#     pinned: to a full 40-hex commit SHA (what OpenSSF Scorecard asks for), or to a release tag
#     vN, vN.N or vN.N.N. Never a branch or any other moving ref. Tags are what the workflows use
#     today: this machine has no network to resolve a tag to its SHA. A tag can be moved by the
#     action's owner, a SHA cannot, so when the workflows are next touched with network, replace
#     each `@vN` with `@<sha> # vN`; this check then accepts it unchanged;
#   - the ClusterFuzzLite actions' mode and sanitizer values;
#   - each project.yaml's language, sanitizers and engines, and that the Dockerfile beside it
#     copies only files that exist.
# Exits non-zero on any problem.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
if [[ -z "$python" ]]; then
  ci/install_deps.sh python3 python3-yaml
  python=/usr/bin/python3
fi

exec "$python" - "$@" <<'PY'
import os
import re
import shlex
import stat
import sys

import yaml

ROOT = os.getcwd()
SKIP_DIRS = {".git", "build", "out", "node_modules", ".cache"}
problems = []
checked = []


def problem(path, message):
    problems.append(f"{path}: {message}")


def yaml_files():
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.endswith((".yml", ".yaml")) or name == ".clang-format":
                yield os.path.relpath(os.path.join(dirpath, name), ROOT)


def is_executable(path):
    return bool(os.stat(path).st_mode & stat.S_IXUSR)


TOP_LEVEL = {e for e in os.listdir(ROOT) if e not in SKIP_DIRS}
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
# Words after which the next word is a command.
COMMAND_PREFIXES = {"sudo", "env", "exec", "time", "nice", "timeout", "then", "do", "else",
                    "!", "xargs", "command"}
SEPARATORS = {";", "&&", "||", "|", "&", "(", ")", "{", "}"}


def repo_path_candidate(word):
    """The repository path a shell word names, or None when it names none."""
    if not word or word.startswith(("-", "$", "/", "~")) or "://" in word or "=" in word:
        return None
    if any(c in word for c in "*?[]{}`\"'"):
        return None
    path = word[2:] if word.startswith("./") else word
    if not path or path in (".", ".."):
        return None
    first = path.split("/", 1)[0]
    if first in SKIP_DIRS:
        return None  # build outputs: made by the job itself
    if word.startswith("./") or ("/" in path and first in TOP_LEVEL):
        return path
    if re.fullmatch(r"[\w.-]+/[\w./-]+\.(sh|bash|py)", path) or first in (".ci", "ci"):
        return path
    return None


def check_run_block(path, where, script, working_directory):
    script = EXPRESSION.sub("EXPR", script)
    base = ROOT if not working_directory else os.path.join(ROOT, working_directory)
    for line in script.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()")
            lexer.whitespace_split = True
            words = list(lexer)
        except ValueError as error:
            problem(path, f"{where}: cannot split shell line {line!r}: {error}")
            continue
        command_position = True
        after_wrapper = False  # ci/in-debian.sh ci/test.sh: the second script is a command too
        for word in words:
            if word in SEPARATORS:
                command_position, after_wrapper = True, False
                continue
            target = repo_path_candidate(word)
            as_command = command_position or (after_wrapper and target is not None)
            after_wrapper = False
            if target is not None:
                full = os.path.normpath(os.path.join(base, target))
                if not os.path.exists(full):
                    problem(path, f"{where}: runs '{word}', which is not in the repository")
                    continue
                if as_command and os.path.isfile(full) and not is_executable(full):
                    problem(path, f"{where}: runs '{word}' as a command but it is not executable")
                checked.append(target)
                after_wrapper = as_command and os.path.isfile(full)
            if command_position and (word in COMMAND_PREFIXES or re.fullmatch(r"\w+=\S*", word)):
                continue  # the next word is still the command
            # Anything else, bash and sh included: the words after it are arguments (bash
            # SCRIPT must exist, but need not be executable).
            command_position = False


CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
CFLITE_MODES = {"code-change", "batch", "prune", "coverage"}
CFLITE_SANITIZERS = {"address", "undefined", "memory", "coverage"}


def check_workflow(path, doc):
    if not isinstance(doc, dict):
        problem(path, "a workflow must be a mapping")
        return
    # YAML 1.1 reads the key 'on' as the boolean true.
    triggers = doc.get("on", doc.get(True))
    if not triggers:
        problem(path, "no 'on:' triggers")
    if isinstance(triggers, dict):
        for entry in triggers.get("schedule") or []:
            cron = (entry or {}).get("cron", "")
            fields = str(cron).split()
            if len(fields) != 5 or not all(CRON_FIELD.match(f) for f in fields):
                problem(path, f"bad cron line {cron!r}")
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        problem(path, "no jobs")
        return
    defaults_dir = ((doc.get("defaults") or {}).get("run") or {}).get("working-directory")
    for job_name, job in jobs.items():
        where = f"job {job_name}"
        if not isinstance(job, dict):
            problem(path, f"{where}: not a mapping")
            continue
        for need in [job.get("needs")] if isinstance(job.get("needs"), str) else job.get("needs") or []:
            if need not in jobs:
                problem(path, f"{where}: needs unknown job '{need}'")
        if "uses" in job:  # a reusable workflow
            check_uses(path, where, job["uses"])
            continue
        if "runs-on" not in job:
            problem(path, f"{where}: no runs-on")
        steps = job.get("steps")
        if not isinstance(steps, list) or not steps:
            problem(path, f"{where}: no steps")
            continue
        job_dir = ((job.get("defaults") or {}).get("run") or {}).get("working-directory",
                                                                       defaults_dir)
        for index, step in enumerate(steps, 1):
            step_where = f"{where}, step {index} ({(step or {}).get('name', '')})"
            if not isinstance(step, dict):
                problem(path, f"{step_where}: not a mapping")
                continue
            if ("run" in step) == ("uses" in step):
                problem(path, f"{step_where}: needs exactly one of run: and uses:")
                continue
            if "run" in step:
                check_run_block(path, step_where, str(step["run"]),
                                step.get("working-directory", job_dir))
            else:
                check_uses(path, step_where, step["uses"])
                check_cflite_inputs(path, step_where, step)


# A full commit SHA, or a release tag: never a branch (main, master, ...) or other moving ref.
PINNED = re.compile(r"[0-9a-f]{40}|v[0-9]+(\.[0-9]+){0,2}")


def check_uses(path, where, uses):
    uses = str(uses)
    if uses.startswith("./"):
        target = os.path.join(ROOT, uses[2:])
        if os.path.isfile(target):
            checked.append(uses[2:])
        elif any(os.path.isfile(os.path.join(target, n)) for n in ("action.yml", "action.yaml")):
            checked.append(uses[2:])
        else:
            problem(path, f"{where}: local action or workflow '{uses}' does not exist")
    elif uses.startswith("docker://"):
        pass
    elif "@" not in uses or not PINNED.fullmatch(uses.split("@", 1)[1]):
        problem(path, f"{where}: '{uses}' is not pinned to a commit SHA or a vN[.N[.N]] tag")


def check_cflite_inputs(path, where, step):
    uses = str(step.get("uses", ""))
    if "clusterfuzzlite/actions/" not in uses:
        return
    inputs = step.get("with") or {}
    mode = inputs.get("mode")
    if mode is not None and mode not in CFLITE_MODES:
        problem(path, f"{where}: unknown ClusterFuzzLite mode {mode!r}")
    sanitizer = str(inputs.get("sanitizer", "address"))
    if not EXPRESSION.search(sanitizer) and sanitizer not in CFLITE_SANITIZERS:
        problem(path, f"{where}: unknown sanitizer {sanitizer!r}")
    seconds = inputs.get("fuzz-seconds")
    if seconds is not None and not (isinstance(seconds, int) and seconds > 0):
        problem(path, f"{where}: fuzz-seconds must be a positive number")


LANGUAGES = {"c", "c++", "go", "rust", "python", "jvm", "swift", "javascript"}
SANITIZERS = {"address", "undefined", "memory", "thread", "coverage", "none"}
ENGINES = {"libfuzzer", "afl", "honggfuzz", "centipede", "none"}


def check_project_yaml(path, doc):
    if not isinstance(doc, dict):
        problem(path, "project.yaml must be a mapping")
        return
    if doc.get("language") not in LANGUAGES:
        problem(path, f"language {doc.get('language')!r} is not one OSS-Fuzz knows")
    for entry in doc.get("sanitizers") or []:
        if isinstance(entry, dict):
            if len(entry) != 1:
                problem(path, f"sanitizer entry {entry!r} must have exactly one name")
                continue
            (name, settings), = entry.items()
            if not isinstance(settings, dict) or set(settings) - {"experimental"}:
                problem(path, f"sanitizer {name}: only 'experimental' may be set")
        else:
            name = entry
        if name not in SANITIZERS:
            problem(path, f"unknown sanitizer {name!r}")
    for engine in doc.get("fuzzing_engines") or []:
        if engine not in ENGINES:
            problem(path, f"unknown fuzzing engine {engine!r}")
    if path.startswith("ci/oss-fuzz/"):
        for key in ("main_repo", "sanitizers", "fuzzing_engines"):
            if key not in doc:
                problem(path, f"an OSS-Fuzz project.yaml needs {key}")
    folder = os.path.dirname(path)
    dockerfile = os.path.join(folder, "Dockerfile")
    build = os.path.join(folder, "build.sh")
    if not os.path.isfile(build):
        problem(path, f"no {build} beside it")
    elif not is_executable(build):
        problem(path, f"{build} is not executable")
    if not os.path.isfile(dockerfile):
        problem(path, f"no {dockerfile} beside it")
        return
    with open(dockerfile) as f:
        text = f.read()
    if not re.search(r"^FROM\s+\S*oss-fuzz-base/base-builder", text, re.M):
        problem(dockerfile, "does not start from the OSS-Fuzz base builder")
    # Build context: the repository root.
    for match in re.finditer(r"^COPY\s+(.+?)\s+\S+\s*$", text, re.M):
        for source in match.group(1).split():
            if not os.path.exists(os.path.join(ROOT, source)):
                problem(dockerfile, f"COPY {source}: not in the repository")
    if "$SRC/build.sh" not in text:
        problem(dockerfile, "does not copy a build.sh to $SRC/build.sh")


files = list(yaml_files())
for path in files:
    try:
        with open(path) as f:
            docs = list(yaml.safe_load_all(f))
    except yaml.YAMLError as error:
        problem(path, f"does not parse: {error}")
        continue
    if path.startswith(".github/workflows/"):
        check_workflow(path, docs[0] if docs else None)
    elif os.path.basename(path) == "project.yaml":
        check_project_yaml(path, docs[0] if docs else None)

workflows = [p for p in files if p.startswith(".github/workflows/")]
if not workflows:
    problem(".github/workflows", "no workflows")
print(f"check-workflows: parsed {len(files)} YAML files ({len(workflows)} workflows)")
for target in sorted(set(checked)):
    print(f"  called by a workflow and present: {target}")
if problems:
    for line in problems:
        print(f"FAIL {line}")
    print(f"check-workflows: {len(problems)} problems")
    sys.exit(1)
print("check-workflows: all good")
PY
