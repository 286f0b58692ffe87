export { OwnershipMatrixPage } from './OwnershipMatrixPage';
export { OwnershipMatrixView } from './OwnershipMatrixView';
