export { KnowledgeArticlePage } from './KnowledgeArticlePage';
export { PlaybookPage } from './PlaybookPage';
export { PlaybooksPage } from './PlaybooksPage';
