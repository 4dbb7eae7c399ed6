import { expect, type Page, test } from '@playwright/test';
import { signIn } from './fixtures';

const CSV = [
  'first_name,last_name,email,phone,stage',
  'Cora,Import,cora@example.com,,',
  'Dan,Import,dan@example.com,+1 555 0101,screening',
  'Eve,Import,not-an-email,,',
  'Finn,Import,finn@example.com,,interview',
  '"Gus, Jr.",Import,gus@example.com,,',
].join('\n');

async function addCandidate(page: Page, person: { first: string; last: string; email: string; phone?: string }) {
  await page.getByRole('button', { name: 'Add candidate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add candidate' });
  await dialog.getByLabel('First name').fill(person.first);
  await dialog.getByLabel('Last name').fill(person.last);
  await dialog.getByLabel('Email').fill(person.email);
  if (person.phone) await dialog.getByLabel('Phone').fill(person.phone);
  await dialog.getByRole('button', { name: 'Add candidate' }).click();
  await expect(page.getByRole('status')).toHaveText(`${person.first} ${person.last} was added.`);
}

async function hire(page: Page, name: string) {
  await page.getByRole('combobox', { name: `Stage of ${name}` }).selectOption('hired');
  await expect(page.getByRole('status')).toHaveText(`Moved ${name} to Hired.`);
}

test('a recruiter creates a posting, adds and imports candidates, hires three and sees them as hired', async ({
  page,
}) => {
  const title = `E2E Platform Engineer ${Date.now().toString(36)}`;
  await signIn(page, 'recruiter', '/recruitment/jobs');

  await page.getByRole('button', { name: 'New posting' }).click();
  const create = page.getByRole('dialog', { name: 'New job posting' });
  await create.getByRole('button', { name: 'Create posting' }).click();
  await expect(create.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await create.getByLabel('Title').fill(title);
  await create.getByLabel('Department').fill('Engineering');
  await create.getByLabel('Location').fill('Remote');
  await create.getByRole('button', { name: 'Create posting' }).click();
  await expect(page).toHaveURL(/\/recruitment\/jobs\/e2e-platform-engineer-[a-z0-9]+$/);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('No candidates yet')).toBeVisible();

  await addCandidate(page, { first: 'Ann', last: 'Added', email: 'ann@example.com', phone: '+1 555 0100' });
  await addCandidate(page, { first: 'Bob', last: 'Added', email: 'bob@example.com' });

  // The same email twice is refused next to the field.
  await page.getByRole('button', { name: 'Add candidate' }).click();
  const duplicate = page.getByRole('dialog', { name: 'Add candidate' });
  await duplicate.getByLabel('First name').fill('Ann');
  await duplicate.getByLabel('Last name').fill('Again');
  await duplicate.getByLabel('Email').fill('ANN@example.com');
  await duplicate.getByRole('button', { name: 'Add candidate' }).click();
  await expect(duplicate.getByText(/already a candidate/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(duplicate).toBeHidden();

  await page.getByRole('button', { name: 'Import CSV' }).click();
  const importer = page.getByRole('dialog', { name: 'Import candidates from CSV' });
  await importer.getByLabel('CSV file').setInputFiles({
    name: 'candidates.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV),
  });
  await importer.getByRole('button', { name: 'Import', exact: true }).click();
  const rowErrors = importer.getByRole('table', { name: 'Rows with errors' });
  await expect(importer.getByText('1 row has an error; nothing was imported')).toBeVisible();
  await expect(rowErrors.getByRole('row')).toHaveCount(2);
  await expect(rowErrors.getByRole('cell', { name: '4', exact: true })).toBeVisible();
  await expect(rowErrors.getByText(/email/)).toBeVisible();
  await importer.getByRole('button', { name: 'Skip 1 bad row and import the rest' }).click();
  await expect(page.getByRole('status')).toHaveText('Imported 4 candidates; skipped 1 row with errors.');

  const candidates = page.getByRole('table', { name: `Candidates for ${title}` });
  await expect(candidates.getByRole('row')).toHaveCount(7);
  await expect(page.getByRole('button', { name: /^All/ })).toHaveText(/6/);

  await hire(page, 'Ann Added');
  await hire(page, 'Cora Import');
  await hire(page, 'Finn Import');

  // Leaving "hired" asks first; Escape keeps the candidate hired.
  await page.getByRole('combobox', { name: 'Stage of Finn Import' }).selectOption('offer');
  const unhire = page.getByRole('dialog', { name: 'Move Finn Import out of Hired?' });
  await expect(unhire).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(unhire).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Stage of Finn Import' })).toHaveValue('hired');

  await page.getByRole('button', { name: /^Hired/ }).click();
  await expect(candidates.getByRole('row')).toHaveCount(4);

  await page.getByRole('link', { name: /^Hired candidates/ }).click();
  await expect(page).toHaveURL(/\/hired$/);
  await expect(page.getByRole('heading', { level: 1, name: `Hired candidates · ${title}` })).toBeVisible();
  const hired = page.getByRole('table', { name: `Hired candidates for ${title}` });
  await expect(hired.getByRole('row')).toHaveCount(4);
  for (const name of ['Ann Added', 'Cora Import', 'Finn Import']) {
    await expect(hired.getByRole('row', { name: new RegExp(name) })).toBeVisible();
  }
  await expect(hired.getByRole('row', { name: /Ann Added/ })).toContainText('+1 555 0100');
  await expect(page.locator('#sync-actions')).toBeAttached();

  await page.getByRole('link', { name: 'Job postings' }).click();
  await page.getByLabel('Search by title').fill(title);
  const row = page.getByRole('row', { name: new RegExp(title) });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(6)).toHaveText('3');
  await expect(row.getByRole('cell').nth(8)).toHaveText('6');
});
