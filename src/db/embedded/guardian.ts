/**
 * The shell script the server runs under. It starts postgres and waits for it; beside it, it
 * reads its own standard input, a pipe from the Usher process that owns the server, until end of
 * file — when Usher stops it, or when Usher dies, even by SIGKILL, the kernel closes the pipe —
 * and then asks postgres for a fast shutdown (SIGINT: transactions roll back, a checkpoint is
 * written). So a server never outlives its owner for long, and what postgres exits with is the
 * guardian's exit. Run in a session of its own, so a Ctrl-C at the terminal reaches Usher only,
 * which then drains its requests before it stops the server.
 *
 * A background job's standard input is /dev/null unless redirected, hence the copy on fd 3.
 */
export const GUARDIAN_SCRIPT = `exec 3<&0
"$@" </dev/null 3<&- &
pg=$!
( while read -r _; do :; done; kill -INT "$pg" 2>/dev/null ) <&3 &
watcher=$!
exec 3<&-
wait "$pg"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;
