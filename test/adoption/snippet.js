// Prints the code block of a plugin README that follows the marker
// `<!-- adoption-test: <name> -->`, so that the adoption test applies exactly what the README
// tells an adopter to do.   Usage: node snippet.js <README.md> <name>
const fs = require('node:fs');

const [file, name] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const marker = `<!-- adoption-test: ${name} -->`;
const at = text.indexOf(marker);
if (at < 0) {
  console.error(`${file} has no "${marker}"`);
  process.exit(1);
}
const block = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at + marker.length));
if (!block) {
  console.error(`${file}: no code block after "${marker}"`);
  process.exit(1);
}
process.stdout.write(block[1]);
