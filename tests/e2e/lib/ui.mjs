// Helpers for driving Element Plus forms the way a user does: find a form item by its label,
// type into it, pick from selects and unit trees, press the dialog's buttons.
import assert from 'node:assert/strict';

/** The el-form-item whose label is exactly `label` (in the open dialog when there is one). */
export function item(scope, label) {
  const page = typeof scope.page === 'function' ? scope.page() : scope; // inner locators are relative
  return scope.locator('.el-form-item').filter({
    has: page.locator('.el-form-item__label', { hasText: new RegExp(`^\\s*${label}\\s*$`) }),
  }).first();
}

export async function fill(scope, label, text) {
  await item(scope, label).locator('input:visible, textarea:visible').first().fill(text);
}

/** Types into a filterable select (allow-create too) and takes the first match with Enter. */
export async function choose(page, scope, label, text) {
  await item(scope, label).locator('.el-select__wrapper').click();
  await page.keyboard.type(text);
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
}

/** Picks a unit by its exact name in a UnitSelect (a filterable tree select). */
export async function chooseUnit(page, scope, label, name) {
  await item(scope, label).locator('.el-select__wrapper').click();
  await page.keyboard.type(name);
  await page.locator('.el-popper:visible .el-tree-node').getByText(name, { exact: true }).first().click();
  await page.keyboard.press('Escape');
}

/** The error text shown under the form item labelled `label`. */
export async function fieldError(scope, label) {
  const err = item(scope, label).locator('.el-form-item__error');
  await err.waitFor();
  return (await err.textContent()).trim();
}

/** Opens an action of the problem page by its button title; resolves the dialog. */
export async function openAction(page, title) {
  await page.locator('.actions-card').getByRole('button', { name: title, exact: true }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  return dialog;
}

/** The state tag of the problem page once it shows `title`. */
export async function expectState(page, title) {
  await page.locator('.tags .el-tag').first().filter({ hasText: title }).waitFor();
  await page.locator('.el-overlay-dialog').first().waitFor({ state: 'hidden' }).catch(() => {});
}

/**
 * Asserts that the page logged no console errors, threw nothing, fetched nothing outside, and
 * got no error reply except those matching `allowed` (regexes over "STATUS METHOD /path").
 */
export function assertClean(page, what, allowed = []) {
  assert.deepEqual(page.problems, [], `${what}: ${page.problems.join('\n')}`);
  const unexpected = page.httpErrors.filter((e) => !allowed.some((re) => re.test(e)));
  assert.deepEqual(unexpected, [], `${what}: unexpected error replies`);
}
