# Sourced by the training scripts. train_run NAME [train options ...] trains into $out/NAME with
# the options in the array `common` plus the given ones, skips a run whose summary.json exists,
# resumes one that has a checkpoint, and writes the final tables (stdout) to $out/NAME.out.
# Needs $cli (the launcher command; LATENT_NLP may set it to e.g. "java -jar ..."), $out and common.
train_run() {
  local name="$1"; shift
  if [ -f "$out/$name/summary.json" ]; then echo "$name: done already" >&2; return; fi
  local resume=()
  [ -d "$out/$name/checkpoint" ] && resume=(--resume)
  echo "== $name $(date -u +%H:%M:%S) ==" >&2
  $cli train "${common[@]}" --run-dir "$out/$name" --name "$name" "$@" "${resume[@]}" > "$out/$name.out"
}
