import { percent } from '../format';
import { useStyles } from './styles';

/** Green from 95%, amber from 80%, red below. */
export function Compliance(props: { share: number | null }) {
  const classes = useStyles();
  const { share } = props;
  let className = classes.muted;
  if (share !== null) {
    if (share >= 0.95) className = classes.good;
    else if (share >= 0.8) className = classes.fair;
    else className = classes.poor;
  }
  return <span className={className}>{percent(share)}</span>;
}
