import { useCallback, useEffect, useState } from "react";
import { getJob, type InviteJob, jobActive, transient } from "./invite-jobs.ts";

/** How often a job that is still running is asked for (one small read of the job's row). */
export const JOB_POLL_MS = 1000;

/**
 * An invite job, asked for again every second while the workers may still change it. Asking
 * stops when the job has ended (done, cancelled, failed), when the page goes away, or at an
 * error the API will answer again (404, 403); network trouble and 5xx are tried again, slower.
 */
export function useJob(id: string): {
  job: InviteJob | null;
  error: unknown;
  refresh: () => void;
} {
  const [job, setJob] = useState<InviteJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` asks again on refresh()
  useEffect(() => {
    let gone = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const j = await getJob(id);
        if (gone) return;
        setJob(j);
        setError(null);
        if (jobActive(j)) timer = setTimeout(ask, JOB_POLL_MS);
      } catch (e) {
        if (gone) return;
        setError(e);
        if (transient(e)) timer = setTimeout(ask, JOB_POLL_MS * 3);
      }
    };
    ask();
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [id, round]);
  const refresh = useCallback(() => setRound((n) => n + 1), []);
  return { job, error, refresh };
}
