import { useCallback, useState } from 'react';
import { messageOf } from './messages';

/**
 * Runs a change the engineer asked for: `busy` while it runs, what the backend said in
 * `error` when it failed. `run` resolves to whether the change went through.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
