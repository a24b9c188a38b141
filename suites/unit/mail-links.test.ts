import { describe, expect, test } from 'vitest';
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
});
