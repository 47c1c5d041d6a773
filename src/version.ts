// The tool's version is package.json's: imported as JSON (rollup's json plugin inlines it into dist/, ts-jest and
// tsc read the file), so there is no second constant to keep in step.
import pkg from '../package.json' with { type: 'json' };

export const TOOL_VERSION: string = pkg.version;

const repositoryUrl = (typeof pkg.repository === 'string' ? pkg.repository : pkg.repository.url).replace(/^git\+/, '').replace(/\.git$/, '');

/** https://github.com/<owner>/<repo>, from package.json `repository`. */
export const REPOSITORY_URL: string = repositoryUrl;
/** package.json `homepage`. */
export const HOMEPAGE_URL: string = pkg.homepage;

/** Where a rule's generated page (docs/rules/<id>.md) is read on GitHub. */
export const ruleDocsUrl = (id: string): string => `${REPOSITORY_URL}/blob/main/docs/rules/${encodeURIComponent(id)}.md`;
