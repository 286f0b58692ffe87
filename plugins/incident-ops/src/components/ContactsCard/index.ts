export { ContactsCard, ContactTreeView } from './ContactsCard';
