export { ContactsCard } from './ContactsCard';
export { ContactTreeView } from './ContactTreeView';
