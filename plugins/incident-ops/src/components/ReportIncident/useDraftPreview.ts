import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import {
  IncidentDraft,
  IncidentDraftPreview,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';

/** How long typing pauses before the draft is previewed. */
export const PREVIEW_DELAY_MS = 300;

/**
 * The backend's preview of the draft, asked for once typing pauses; answers to drafts since
 * changed are dropped. The last preview stays while the next one is on its way.
 */
export function useDraftPreview(draft: IncidentDraft | undefined) {
  const api = useApi(incidentOpsApiRef);
  const [value, setValue] = useState<IncidentDraftPreview>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);
  const key = draft ? JSON.stringify(draft) : '';

  useEffect(() => {
    if (!key) {
      setValue(undefined);
      setError(undefined);
      setLoading(false);
      return undefined;
    }
    let current = true;
    setLoading(true);
    const timer = setTimeout(async () => {
      try {
        const preview = await api.previewIncidentDraft(JSON.parse(key));
        if (!current) return;
        setValue(preview);
        setError(undefined);
      } catch (e) {
        if (current) setError(e as Error);
      } finally {
        if (current) setLoading(false);
      }
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, key]);

  return { value, error, loading };
}
