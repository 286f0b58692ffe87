export { ContactResolver, parseRoleRefs } from './ContactResolver';
