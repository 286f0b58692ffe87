export {
  IncidentOpsSearchResultItem,
  KB_RESULT_TYPE,
  PLAYBOOK_RESULT_TYPE,
} from './IncidentOpsSearchResultItem';
