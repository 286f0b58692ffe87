export {
  OwnershipMatrixPage,
  OwnershipMatrixView,
} from './OwnershipMatrixPage';
