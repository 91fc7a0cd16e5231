#!/usr/bin/env bash
# The main job end to end in a throw-away git repository: track a dataset and a model,
# change them over two commits, bring the first version back byte for byte, then share the
# data through a remote that is a plain local directory and pull it into a fresh clone.
set -euo pipefail

work="$(mktemp -d "${TMPDIR:-/tmp}/mlvc-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/project" && cd "$work/project"
export GIT_AUTHOR_NAME="mlvc demo" GIT_AUTHOR_EMAIL="demo@mlvc.invalid"
export GIT_COMMITTER_NAME="mlvc demo" GIT_COMMITTER_EMAIL="demo@mlvc.invalid"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

python3 - <<'PY'
import os, random
rng = random.Random(7)
os.makedirs("data/images", exist_ok=True)
os.makedirs("models", exist_ok=True)
for i in range(500):
    with open(f"data/images/img{i:03d}.bin", "wb") as f:
        f.write(rng.randbytes(rng.randrange(1_000, 20_000)))
with open("models/model.safetensors", "wb") as f:
    f.write(rng.randbytes(32 * 1024 * 1024))
PY

step git init -q -b main
step mlvc init
step mlvc remote add storage "$work/remote" --default
step mlvc add data/images models/model.safetensors
step git add .mlvc data/images.mlvc models/model.safetensors.mlvc .gitignore
step git commit -q -m "v1: dataset and model"
v1_sum="$(sha256sum models/model.safetensors | cut -d' ' -f1)"

echo; echo "# retrain: 1 MiB of the 32 MiB model changes, two images change, one is new"
python3 - <<'PY'
import os
with open("models/model.safetensors", "r+b") as f:
    f.seek(16 * 1024 * 1024)
    f.write(os.urandom(1024 * 1024))
for name in ("img001.bin", "img002.bin"):
    with open(f"data/images/{name}", "wb") as f:
        f.write(os.urandom(4096))
with open("data/images/img500.bin", "wb") as f:
    f.write(os.urandom(4096))
PY
step mlvc status
step du -sh .mlvc/cache
step mlvc add data/images models/model.safetensors
step du -sh .mlvc/cache
step git commit -q -am "v2: retrained"
step mlvc diff HEAD~1 HEAD

echo; echo "# back to v1's data"
step git checkout -q HEAD~1 -- '*.mlvc'
step mlvc checkout
now_sum="$(sha256sum models/model.safetensors | cut -d' ' -f1)"
[ "$v1_sum" = "$now_sum" ] && echo "model.safetensors is byte for byte v1 ($now_sum)"
step mlvc status
step git checkout -q HEAD -- '*.mlvc'
step mlvc checkout
step mlvc gc --dry-run

echo; echo "# share the data: push to the remote, clone, pull"
step mlvc status --remote
step mlvc push --all-commits
step mlvc status --remote
step find "$work/remote" -type f
cd "$work"
step git clone -q project teammate
cd teammate
step mlvc pull
diff -r "$work/project/data" data && cmp "$work/project/models/model.safetensors" models/model.safetensors \
  && echo "the clone's data is byte for byte the original's"
step git checkout -q HEAD~1
step mlvc pull
[ "$v1_sum" = "$(sha256sum models/model.safetensors | cut -d' ' -f1)" ] && echo "and v1 too"

echo; echo "# git hooks: the data follows commit, pull and push"
git checkout -q main
cd "$work/project"
step mlvc hooks install
python3 -c "f = open('models/model.safetensors', 'r+b'); f.write(b'retrained weights'); f.close()"
git add -A
if step git commit -q -m "v3: mlvc add forgotten"; then
    echo "the hook should have refused this commit"; exit 1
fi
echo "(refused by the pre-commit hook, as it should be)"
step mlvc add models/model.safetensors
step git add models/model.safetensors.mlvc
step git commit -q -m "v3: retrained"
step mlvc push
cd "$work/teammate"
step git checkout -q main
step mlvc hooks install
step git pull -q
cmp "$work/project/models/model.safetensors" models/model.safetensors \
  && echo "git pull brought v3's model into the teammate's workspace"
echo; echo "demo finished"
