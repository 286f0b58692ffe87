import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import { useStyles } from './styles';

/** What the cells' marks mean, drawn as they are drawn in the table. */
export function MatrixLegend(props: { clusterName?: string }) {
  const classes = useStyles();
  return (
    <div className={classes.legend} aria-hidden>
      <span>
        <span className={`${classes.ownNote} ${classes.legendSample}`}>
          set on namespace
        </span>
        overrides the cluster
      </span>
      <span>
        <span className={`${classes.inheritedNote} ${classes.legendSample}`}>
          inherited from {props.clusterName ?? 'the cluster'}
        </span>
        the cluster's holder applies
      </span>
      <span>
        <span className={`${classes.gapLabel} ${classes.legendGap}`}>
          <WarningIcon fontSize="small" className={classes.gapIcon} />
          Gap
        </span>
        nobody holds the role
      </span>
    </div>
  );
}
