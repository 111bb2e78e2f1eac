'use strict';
// "Office named by the source", on a speech or a quotation, may only be an office of the
// statement's speaker (another's is refused on saving). Django's menu asks the server for
// every office; this adds the speaker chosen on the page to the menu's request, and the
// server (OfficeAdmin.get_search_results) offers that speaker's offices alone. A quotation
// row with no speaker chosen yet is its speech's speaker's.
{
    let opened = null;  // the menu whose choices are being asked for

    function speakerOf(select) {
        const own = document.getElementById(select.id.replace(/stated_office$/, 'speaker'));
        if (own && own.value) {
            return own.value;
        }
        const speech = document.getElementById('id_speaker');
        return speech ? speech.value : '';
    }

    document.addEventListener('DOMContentLoaded', () => {
        const jquery = window.django && window.django.jQuery;
        if (!jquery) {
            return;
        }
        jquery(document).on('select2:opening', (event) => {
            opened = event.target;
        });
        // Select2's requests go through the admin's jQuery, which hands their parameters,
        // already written as a query string, to its prefilters before sending them.
        jquery.ajaxPrefilter((options) => {
            const asked = typeof options.data === 'string' ? options.data : '';
            if (!opened || !/(^|&)field_name=stated_office(&|$)/.test(asked)) {
                return;
            }
            const speaker = speakerOf(opened);
            if (/^\d+$/.test(speaker)) {
                options.data = `${asked}&speaker=${speaker}`;
            }
        });
    });
}
