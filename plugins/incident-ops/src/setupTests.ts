import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Lazy-loaded pages and debounced forms take longer than the default second on a busy
// 2-core CI machine; a real failure still fails, only later.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);
