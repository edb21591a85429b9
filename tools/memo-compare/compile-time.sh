#!/usr/bin/env bash
# Times a cold `cargo build --release` of a tiny crate per mechanism, each
# using its mechanism once (so its proc macros run), and sums the build time
# of the crates it would add to annals (those not already in annals'
# Cargo.lock at a semver-compatible version).
#
#   CARGO_TARGET_DIR=/work/memo-compare-target bash tools/memo-compare/compile-time.sh
#
# The crates are made under $CARGO_TARGET_DIR/compile-time, each with its own
# target folder so that every build is cold. Downloads happen before timing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
annals_lock=$here/../../Cargo.lock
work=${CARGO_TARGET_DIR:?set CARGO_TARGET_DIR to a folder outside the repo}/compile-time
rm -rf "$work"
mkdir -p "$work"

# make NAME DEPENDENCY-LINES <<< MAIN.RS
make() {
    mkdir -p "$work/$1/src"
    printf '[package]\nname = "tiny-%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n[workspace]\n[dependencies]\n%s\n' \
        "$1" "$2" > "$work/$1/Cargo.toml"
    cat > "$work/$1/src/main.rs"
}

make std '' <<'EOF'
use std::collections::HashMap;
fn main() {
    let mut memo: HashMap<u64, String> = HashMap::new();
    memo.entry(1).or_insert_with(|| "one".to_owned());
    println!("{}", memo.len());
}
EOF

make plain 'twox-hash = { version = "2", default-features = false, features = ["xxhash3_64", "std"] }' <<'EOF'
use std::collections::HashMap;
fn main() {
    let mut memo: HashMap<u64, String> = HashMap::new();
    let key = twox_hash::XxHash3_64::oneshot(b"source");
    memo.entry(key).or_insert_with(|| "one".to_owned());
    println!("{}", memo.len());
}
EOF

make comemo 'comemo = "0.5"' <<'EOF'
use comemo::{Track, Tracked};
struct Files(Vec<String>);
#[comemo::track]
impl Files {
    fn read(&self, i: usize) -> String {
        self.0[i].clone()
    }
}
#[comemo::memoize]
fn len(i: usize, files: Tracked<Files>) -> usize {
    files.read(i).len()
}
fn main() {
    let files = Files(vec!["a".into()]);
    println!("{}", len(0, files.track()));
    comemo::evict(1);
}
EOF

salsa_main=$(cat <<'EOF'
#[salsa::input]
struct File {
    #[returns(ref)]
    text: String,
}
#[salsa::tracked]
fn len(db: &dyn salsa::Database, file: File) -> usize {
    file.text(db).len()
}
fn main() {
    let db = salsa::DatabaseImpl::new();
    let file = File::new(&db, "a".to_owned());
    println!("{}", len(&db, file));
}
EOF
)
make salsa 'salsa = "0.28"' <<< "$salsa_main"
# Without rayon, accumulators and the unstable APIs; `inventory` and the
# macros stay, as the attribute API needs them.
make salsa-slim 'salsa = { version = "0.28", default-features = false, features = ["macros", "inventory"] }' <<< "$salsa_main"

printf '| %-11s | %9s | %6s | %9s | %-s\n' crate "cold wall" crates "new to annals (sum of unit times)" ""
for name in std plain comemo salsa salsa-slim; do
    (
        cd "$work/$name"
        cargo fetch --quiet
        start=$(date +%s.%N)
        cargo build --release --quiet --timings --target-dir "$work/$name/target" 2> /dev/null
        end=$(date +%s.%N)
        python3 - "$name" "$start" "$end" "$annals_lock" "$work/$name/Cargo.lock" \
            "$work/$name/target/cargo-timings/cargo-timing.html" <<'EOF'
import json, re, sys
name, start, end, annals_lock, lock, html = sys.argv[1:]
def compatible(version):
    # Cargo unifies semver-compatible versions: 1.2 and 1.5 are one crate.
    major, minor = version.split(".")[:2]
    return major if major != "0" else f"0.{minor}"
def packages(path):
    text = open(path).read()
    return {(n, compatible(v)) for n, v in re.findall(r'name = "([^"]+)"\nversion = "([^"]+)"', text)}
annals = packages(annals_lock)
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", open(html).read(), re.S).group(1))
mine = [u for u in units if not u["name"].startswith("tiny-")]
new = [u for u in mine if (u["name"], compatible(u["version"])) not in annals]
new_names = sorted({f'{u["name"]} {u["version"]}' for u in new})
print(f'| {name:<11} | {float(end) - float(start):7.1f} s | {len({(u["name"], u["version"]) for u in mine}):6} '
      f'| {len(new_names)} crates, {sum(u["duration"] for u in new):.1f} s: {", ".join(new_names)}')
EOF
    )
done
