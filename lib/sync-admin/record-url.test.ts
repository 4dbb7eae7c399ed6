import { describe, expect, it } from 'vitest';
import { httpUrlOrNull, recordUrlOf } from './record-url';

describe('recordUrlOf', () => {
  it("links an external id to the record page of the source's system", () => {
    expect(recordUrlOf('bamboohr', { company_domain: 'acme' }, '40598')).toBe(
      'https://acme.bamboohr.com/employees/employee.php?id=40598',
    );
    expect(recordUrlOf('hibob', {}, '3332883884017713238')).toBe(
      'https://app.hibob.com/employee-profile/3332883884017713238',
    );
  });

  it('gives no link without an id, for a connector without record pages, an unknown connector or bad settings', () => {
    expect(recordUrlOf('bamboohr', { company_domain: 'acme' }, null)).toBeNull();
    expect(recordUrlOf('generic_webhook', {}, 'emp-1')).toBeNull();
    expect(recordUrlOf('legacy_sftp', {}, 'emp-1')).toBeNull();
    expect(recordUrlOf('bamboohr', { company_domain: 'not a domain!' }, '40598')).toBeNull();
    // An id the connector does not recognise as its own gives no link rather than a wrong one.
    expect(recordUrlOf('bamboohr', { company_domain: 'acme' }, 'javascript:alert(1)')).toBeNull();
  });
});

describe('httpUrlOrNull', () => {
  it('lets absolute http(s) URLs through and nothing else', () => {
    expect(httpUrlOrNull('https://acme.bamboohr.com/employees/employee.php?id=1')).toBe(
      'https://acme.bamboohr.com/employees/employee.php?id=1',
    );
    expect(httpUrlOrNull('http://127.0.0.1:8080/people/1')).toBe('http://127.0.0.1:8080/people/1');
    expect(httpUrlOrNull('javascript:alert(1)')).toBeNull();
    expect(httpUrlOrNull('data:text/html,<b>x</b>')).toBeNull();
    expect(httpUrlOrNull('/employees/1')).toBeNull();
    expect(httpUrlOrNull(null)).toBeNull();
  });
});
