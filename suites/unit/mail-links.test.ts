import { describe, expect, test } from 'vitest';
import { mask } from '../../src/base/secrets.ts';
import { linksIn } from '../../src/families/mail-links/mailbox.ts';

// n8n's mail templates write a link with Handlebars' double braces (`href="{{inviteAcceptUrl}}"`),
// which escape `&` and `=`; 2.x adds a text part made from the HTML, links in brackets.
describe('the links the mail-links family reads out of a message n8n mailed', () => {
  test('HTML: character references decoded as a mail client does (1.x invitation: inviter and invitee ids)', () => {
    const html = '<a href="http://localhost:5678/signup?inviterId&#x3D;a1&amp;inviteeId&#x3D;b2" target="_blank">Accept invitation</a>';
    expect(linksIn({ html, text: '' }, '/signup')).toEqual(['http://localhost:5678/signup?inviterId=a1&inviteeId=b2']);
  });

  test('text: a link in brackets, the same link once; other pages left out', () => {
    const text = 'Reset it here [http://nginx/change-password?token=abc.def&mfaEnabled=false] or open http://nginx/signin';
    const html = '<a href="http://nginx/change-password?token&#x3D;abc.def&amp;mfaEnabled&#x3D;false">Reset</a>';
    expect(linksIn({ html, text }, '/change-password')).toEqual(['http://nginx/change-password?token=abc.def&mfaEnabled=false']);
    expect(linksIn({ html, text }, '/signup')).toEqual([]);
  });

  test("what opens a link is masked in what is shown: a 2.x token, a 1.x invitation's inviter and invitee ids (accepting it takes nothing else)", () => {
    const [inviterId, inviteeId] = ['7f3c2a10-5b1e-4d2a-9a51-0c6f1e2b3a4d', '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b'];
    const [link] = linksIn(
      { html: `<a href="http://localhost:5678/signup?inviterId&#x3D;${inviterId}&amp;inviteeId&#x3D;${inviteeId}">Accept</a>`, text: '' },
      '/signup',
    );
    const shown = mask(`the invitation: ${link}`);
    expect(shown).not.toContain(inviterId);
    expect(shown).not.toContain(inviteeId);
    const [reset] = linksIn({ html: '', text: 'http://nginx/change-password?token=eyJhbGciOiJIUzI1NiJ9.secretpart' }, '/change-password');
    expect(mask(reset!)).not.toContain('eyJhbGciOiJIUzI1NiJ9.secretpart');
  });
});
