/**
 * The survey pages' CSS (inline in each page, our own constant) and their one script, served
 * as a file at SURVEY_SCRIPT_PATH so the pages need no inline script: a Content-Security-Policy
 * can forbid inline script altogether.
 */
export const SURVEY_SCRIPT_PATH = '/assets/survey.js';

export const SURVEY_CSS = `
*{box-sizing:border-box}body{margin:0;font:18px/1.55 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f2329}
main{max-width:560px;margin:0 auto;padding:16px}
header{margin-bottom:8px}
.office{color:#3b4350;font-size:16px;margin:4px 0 0;font-weight:600}
h1{font-size:24px;margin:4px 0}
h2{font-size:20px;margin:16px 0 4px}
.what{color:#3b4350;font-size:17px;margin:0 0 12px}
.intro{color:#3b4350;font-size:16px;margin:0 0 12px}
.summary{background:#fff0f0;color:#b3261e;border:2px solid #f1a7a4;border-radius:10px;padding:10px 12px;margin:0 0 12px;font-weight:600}
fieldset{border:2px solid transparent;background:#fff;border-radius:12px;margin:0 0 12px;padding:12px 12px 6px}
fieldset.invalid{border-color:#e5484d;background:#fffafa}
legend{font-weight:700;padding:0;margin-bottom:8px;float:left;width:100%;font-size:19px}
.req,.opt{display:inline-block;font-size:14px;font-weight:600;border-radius:6px;padding:0 6px;margin-left:8px;vertical-align:2px}
.req{color:#b3261e;background:#fdeceb}.opt{color:#646a73;background:#eff0f1}
.note{display:block;font-weight:400;font-size:15px;color:#3b4350}
.field-error{clear:both;color:#b3261e;font-weight:600;font-size:16px;margin:0 0 8px}
.choices{display:flex;flex-wrap:wrap;gap:8px;clear:both}
.choices label{flex:1 1 30%;min-width:88px}
.choices input{position:absolute;opacity:0;width:1px;height:1px}
.choices span{display:block;text-align:center;padding:14px 6px;border:2px solid #c9cdd4;border-radius:10px;background:#fff;min-height:54px}
.choices input:checked+span{border-color:#3370ff;background:#e1eaff;color:#1d4ed8;font-weight:700}
.choices input:checked+span::before{content:"✓ "}
.choices input:focus-visible+span{outline:3px solid #93b4ff}
textarea{width:100%;min-height:96px;font:inherit;padding:10px;border:2px solid #c9cdd4;border-radius:10px;clear:both;display:block;margin-bottom:6px}
button{width:100%;font-size:21px;padding:16px;border:0;border-radius:12px;background:#3370ff;color:#fff;font-weight:700;margin:4px 0 24px;min-height:56px}
.notice{background:#fff;border-radius:12px;padding:28px 16px;text-align:center;margin-top:16px}
.notice .big{font-size:44px;line-height:1}
.given{margin-top:8px}
dl{background:#fff;border-radius:12px;padding:12px;margin:0 0 12px}dt{color:#3b4350;font-size:15px}dd{margin:0 0 8px;font-weight:600}
`;

/**
 * Plain ES5, no dependencies: 无 stands alone among the shortcomings — ticking it clears the
 * others, ticking another clears 无 — and a question's red error goes once it is answered.
 */
export const SURVEY_SCRIPT = `(function () {
  var form = document.querySelector('form');
  if (!form) return;
  form.addEventListener('change', function (event) {
    var input = event.target;
    if (!input || input.name === undefined) return;
    if (input.name === 'shortcomings' && input.checked) {
      var boxes = form.querySelectorAll('input[name="shortcomings"]');
      for (var i = 0; i < boxes.length; i++) {
        var box = boxes[i];
        if (box === input) continue;
        if (input.getAttribute('data-exclusive') === 'true' || box.getAttribute('data-exclusive') === 'true') box.checked = false;
      }
    }
    var group = input.closest ? input.closest('fieldset') : null;
    if (group && group.classList.contains('invalid')) {
      group.classList.remove('invalid');
      var error = group.querySelector('.field-error');
      if (error) error.parentNode.removeChild(error);
    }
  });
})();
`;
