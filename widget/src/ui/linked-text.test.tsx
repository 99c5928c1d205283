// @vitest-environment happy-dom
// Message text becomes text nodes plus links for http(s) URLs only; nothing else is ever a link or markup.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { LinkedText, linkParts } from './linked-text.tsx';

describe('linkParts', () => {
  it.each([
    ['no links here', ['no links here']],
    ['see https://a.example/x.', ['see ', { href: 'https://a.example/x', text: 'https://a.example/x' }, '.']],
    ['(http://a.example/)', ['(', { href: 'http://a.example/', text: 'http://a.example/' }, ')']],
    ['javascript:alert(1)', ['javascript:alert(1)']],
    ['JavaScript:alert(document.cookie)//https', ['JavaScript:alert(document.cookie)//https']],
    ['data:text/html,<script>alert(1)</script>', ['data:text/html,<script>alert(1)</script>']],
    ['xhttps://a.example', ['xhttps://a.example']],
    ['vbscript:msgbox and ftp://a.example', ['vbscript:msgbox and ftp://a.example']],
    [
      'two https://a.example and http://b.example',
      [
        'two ',
        { href: 'https://a.example/', text: 'https://a.example' },
        ' and ',
        { href: 'http://b.example/', text: 'http://b.example' },
      ],
    ],
    ['https:// alone', ['https:// alone']],
  ])('%j', (text, parts) => {
    expect(linkParts(text)).toEqual(parts);
  });
});

describe('LinkedText', () => {
  it('renders markup as text and only http(s) anchors', () => {
    const el = document.createElement('p');
    const text = '<a href="javascript:alert(1)">x</a><script>alert(2)</script> https://ok.example';
    render(<LinkedText text={text} />, el);
    expect(el.textContent).toBe(text);
    expect(el.querySelector('script')).toBeNull();
    expect([...el.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://ok.example/']);
    expect(el.querySelector('a')?.getAttribute('target')).toBe('_blank');
  });
});
