import { incidentOpsIncidentCreatePermission } from '@acme/plugin-incident-ops-common';
import type { Entity } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import { Button, ButtonProps } from '@material-ui/core';
import ReportIcon from '@material-ui/icons/ReportProblemOutlined';
import { useState } from 'react';
import type { IncidentReport } from '../../api/IncidentOpsApi';
import { ReportIncidentDialog } from './ReportIncidentDialog';

/**
 * "Report an incident", for those with the `incident-ops.incident.create` permission (hidden
 * for others): opens the form, on `entity` when given.
 * @public
 */
export function ReportIncidentButton(props: {
  entity?: Entity;
  /** Heard when a report is accepted, and again when it is filed or refused. */
  onReported?: (report: IncidentReport) => void;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
}) {
  const { entity, onReported, variant = 'outlined', size = 'small' } = props;
  const [open, setOpen] = useState(false);
  const { allowed } = usePermission({
    permission: incidentOpsIncidentCreatePermission,
  });
  if (!allowed) return null;
  return (
    <>
      <Button
        variant={variant}
        size={size}
        color="primary"
        startIcon={<ReportIcon />}
        onClick={() => setOpen(true)}
      >
        Report an incident
      </Button>
      {open && (
        <ReportIncidentDialog
          entity={entity}
          onClose={() => setOpen(false)}
          onReported={onReported}
        />
      )}
    </>
  );
}
