/* Hoshi Tea demo site behaviours: trial button, NPS widget, SPA tabs, FAQ search and votes, contact form.
 * Tracking is done by kizuna.js through the data-kizuna-* attributes; only the NPS answer calls the API. */
(function () {
  'use strict';
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var kizuna = function () { if (typeof window.kizuna === 'function') window.kizuna.apply(window, arguments); };
  var say = function (el, text) { if (el) el.textContent = text; };

  /* Header (shared include): mark the current page in the nav */
  // a page answers at /pricing, /pricing.html and under /pricing/… (the demo server's clean paths)
  var here = '/' + location.pathname.split('/')[1].replace(/\.html$/, '').replace(/^index$/, '');
  $$('.site-nav a').forEach(function (a) { if (a.getAttribute('href') === here) a.setAttribute('aria-current', 'page'); });

  /* Home: free trial and NPS */
  var signup = $('#signup');
  if (signup) signup.addEventListener('click', function () {
    say($('#signup-status'), 'Welcome! Your free trial box ships on the 25th. (Demo — no order was placed.)');
  });
  $$('#nps [data-score]').forEach(function (btn, _, all) {
    btn.addEventListener('click', function () {
      var score = Number(btn.getAttribute('data-score'));
      kizuna('nps', score);
      all.forEach(function (b) { b.setAttribute('aria-pressed', String(b === btn)); b.disabled = true; });
      say($('#nps-status'), 'Thank you for your answer (' + score + '/10). ありがとうございます！');
    });
  });

  /* Product: SPA-style tabs on ?tab= URLs (history.pushState) */
  var tabs = $$('[role="tab"][data-tab]');
  if (tabs.length) {
    var names = tabs.map(function (t) { return t.getAttribute('data-tab'); });
    var labels = { features: 'Features', specs: 'Specs', teas: 'This month’s teas' };
    var spaNav = $('#spa-nav');
    var current = null;
    var fromUrl = function () { return new URLSearchParams(location.search).get('tab'); };
    var show = function (name, push) {
      if (names.indexOf(name) < 0) name = names[0];
      /* Title first: a history-tracking script records the page view during pushState. */
      document.title = labels[name] + ' — How it works — Hoshi Tea Co.';
      if (push && name !== current) history.pushState({ tab: name }, '', '?tab=' + name);
      current = name;
      tabs.forEach(function (t) {
        var on = t.getAttribute('data-tab') === name;
        t.setAttribute('aria-selected', String(on));
        t.tabIndex = on ? 0 : -1;
        $('#' + t.getAttribute('aria-controls')).hidden = !on;
      });
      if (spaNav) spaNav.textContent = 'Next: ' + labels[next(name)] + ' →';
    };
    var next = function (name) { return names[(names.indexOf(name) + 1) % names.length]; };
    tabs.forEach(function (t, i) {
      t.addEventListener('click', function () { show(t.getAttribute('data-tab'), true); });
      t.addEventListener('keydown', function (e) {
        var d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!d) return;
        var to = tabs[(i + d + tabs.length) % tabs.length];
        to.focus();
        show(to.getAttribute('data-tab'), true);
      });
    });
    if (spaNav) spaNav.addEventListener('click', function () { show(next(current), true); });
    window.addEventListener('popstate', function () { show(fromUrl(), false); });
    show(fromUrl(), false);
  }

  /* FAQ: client-side search; the results container carries data-kizuna-results */
  var form = $('form[data-kizuna-faq-search]');
  var results = $('#faq-results');
  if (form && results) {
    var input = form.elements.q;
    var filter = function () {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var n = 0;
      $$('[data-kizuna-faq]', results).forEach(function (item) {
        var text = (item.textContent + ' ' + (item.getAttribute('data-keywords') || '')).toLowerCase();
        var hit = terms.every(function (t) { return text.indexOf(t) >= 0; });
        item.hidden = !hit;
        if (hit) n++;
      });
      results.setAttribute('data-kizuna-results', String(n));
      $('#faq-empty').hidden = n > 0;
      say($('#faq-count'), terms.length ? n + (n === 1 ? ' article matches' : ' articles match') + ' “' + input.value.trim() + '”.' : '');
      return n;
    };
    /* Filter as the visitor types too, so the count is already right when the search is submitted. */
    input.addEventListener('input', filter);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      filter();
    });
  }
  $$('[data-kizuna-faq] [data-kizuna-helpful]').forEach(function (btn) {
    btn.addEventListener('click', function () {
      var box = btn.parentNode;
      $$('[data-kizuna-helpful]', box).forEach(function (b) { b.setAttribute('aria-pressed', String(b === btn)); });
      var status = $('.vote-status', box);
      if (btn.getAttribute('data-kizuna-helpful') === 'yes') say(status, 'Thanks for your feedback!');
      else status.innerHTML = 'Sorry about that. <a href="/contact" data-kizuna-support>Contact us</a>';
    });
  });

  /* Contact: handled client-side, then a thank-you message; a demo chat panel */
  var contact = $('#contact-form');
  if (contact) {
    var topic = $('#contact-topic');
    var submit = $('#contact-submit');
    topic.addEventListener('change', function () { submit.setAttribute('data-kizuna-prop-topic', topic.value); });
    contact.addEventListener('submit', function (e) {
      e.preventDefault();
      contact.hidden = true;
      var thanks = $('#contact-thanks');
      thanks.hidden = false;
      thanks.focus();
    });
  }
  var chat = $('#chat');
  var panel = $('#chat-panel');
  if (chat && panel) {
    var setChat = function (open) {
      panel.hidden = !open;
      chat.setAttribute('aria-expanded', String(open));
      (open ? $('#chat-close') : chat).focus();
    };
    chat.addEventListener('click', function () { setChat(true); });
    $('#chat-close').addEventListener('click', function () { setChat(false); });
  }
})();
