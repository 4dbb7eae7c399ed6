import { expect, test } from '@playwright/test';
import { signIn } from './fixtures';

// Issue 20 item 4: what an HR system needs, entered where recruiters already work.
test('a recruiter gives a posting its employment type and a hire its start date', async ({ page }) => {
  const title = `E2E Payroll Analyst ${Date.now().toString(36)}`;
  await signIn(page, 'recruiter', '/recruitment/jobs');

  await page.getByRole('button', { name: 'New posting' }).click();
  const create = page.getByRole('dialog', { name: 'New job posting' });
  await create.getByLabel('Title').fill(title);
  await create.getByLabel('Location').fill('Berlin');
  await create.getByLabel('Employment type').selectOption('part_time');
  await create.getByRole('button', { name: 'Create posting' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('Berlin · Part-time')).toBeVisible();

  await page.getByRole('button', { name: 'Add candidate' }).click();
  const add = page.getByRole('dialog', { name: 'Add candidate' });
  await add.getByLabel('First name').fill('Hana');
  await add.getByLabel('Last name').fill('Hire');
  await add.getByLabel('Email').fill('hana.hire@example.com');
  await add.getByRole('button', { name: 'Add candidate' }).click();
  await expect(page.getByRole('status')).toHaveText('Hana Hire was added.');

  await page.getByRole('combobox', { name: 'Stage of Hana Hire' }).selectOption('hired');
  await expect(page.getByRole('status')).toHaveText('Moved Hana Hire to Hired.');
  await page.getByRole('button', { name: 'Set start date of Hana Hire' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Hana Hire' });
  await edit.getByLabel('Start date').fill('2027-01-04');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved changes to Hana Hire.');
  await expect(page.getByRole('button', { name: 'Starts 2027-01-04 of Hana Hire' })).toBeVisible();
  await page.screenshot({ path: 'test-results/hr-fields-start-date.png', fullPage: true });

  const api = await page.request.get(`/api/v1/jobs/${page.url().split('/').pop()}/candidates?stage=hired`);
  expect((await api.json()).data[0]).toMatchObject({ email: 'hana.hire@example.com', start_date: '2027-01-04' });
});

test('the source form offers the connectors of the registry', async ({ page }) => {
  await signIn(page, 'admin', '/sync-admin/sources/new');
  // What the registry lists, as the API answers it: the form has no list of its own.
  const registry = (await (await page.request.get('/api/v1/connectors')).json()).data as { name: string }[];
  expect(registry.map((c) => c.name)).toEqual(
    expect.arrayContaining(['Webhook', 'REST batch', 'BambooHR', 'HiBob', 'Personio']),
  );
  const select = page.getByRole('combobox', { name: 'Connector' });
  await expect(select.getByRole('option')).toHaveText(registry.map((c) => c.name));
  await select.selectOption('rest_batch');
  await expect(page.getByText('Candidates in batches of “Batch size” per request')).toBeVisible();
  await page.screenshot({ path: 'test-results/hr-fields-source-form.png', fullPage: true });
});
