import { Button, MenuItem, TextField, makeStyles } from '@material-ui/core';
import { FormEvent, useId, useState } from 'react';
import { VENDOR_LABEL } from './vendorFormat';

const useStyles = makeStyles(theme => ({
  form: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

type Vendor = keyof typeof VENDOR_LABEL;

/** Records a case opened with a vendor; emptied once it is recorded. */
export function VendorCaseForm(props: {
  busy: boolean;
  /** Resolves to whether the case was recorded. */
  onOpen: (body: {
    vendor: Vendor;
    caseId: string;
    note?: string;
  }) => Promise<boolean>;
}) {
  const { busy, onOpen } = props;
  const classes = useStyles();
  const ids = useId();
  const [vendor, setVendor] = useState<Vendor>('tanzu');
  const [caseId, setCaseId] = useState('');
  const [note, setNote] = useState('');
  const open = async (e: FormEvent) => {
    e.preventDefault();
    if (
      await onOpen({
        vendor,
        caseId: caseId.trim(),
        note: note.trim() || undefined,
      })
    ) {
      setCaseId('');
      setNote('');
    }
  };
  return (
    <form
      className={classes.form}
      onSubmit={open}
      aria-label="Open a vendor case"
    >
      <TextField
        id={`${ids}-vendor`}
        select
        size="small"
        variant="outlined"
        label="Vendor"
        value={vendor}
        onChange={e => setVendor(e.target.value as Vendor)}
      >
        <MenuItem value="tanzu">{VENDOR_LABEL.tanzu}</MenuItem>
        <MenuItem value="aws">{VENDOR_LABEL.aws}</MenuItem>
      </TextField>
      <TextField
        id={`${ids}-case`}
        size="small"
        variant="outlined"
        label="Vendor case id"
        value={caseId}
        onChange={e => setCaseId(e.target.value)}
        inputProps={{ maxLength: 128 }}
      />
      <TextField
        id={`${ids}-note`}
        size="small"
        variant="outlined"
        label="Note (optional)"
        value={note}
        onChange={e => setNote(e.target.value)}
        inputProps={{ maxLength: 4000 }}
      />
      <Button
        type="submit"
        variant="outlined"
        color="primary"
        disabled={busy || !caseId.trim()}
      >
        Record vendor case
      </Button>
    </form>
  );
}
