export { KnowledgeArticlePage } from './KnowledgeArticlePage';
export { PlaybookPage } from './PlaybookPage';
export { PlaybooksPage } from './PlaybooksPage';
export { kbArticlePath, playbookPath, PLAYBOOKS_PATH } from './paths';
