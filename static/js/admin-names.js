'use strict';
// The admin's autocomplete menus (Select2) name their combobox only by the choice shown, and
// the read-only textbox showing that choice not at all, so an empty menu has no name for a
// screen reader (axe: aria-input-field-name), nor the search box of a menu of several
// choices (axe: label). All are named by the field's label, as soon as Select2 draws them (a
// MutationObserver, because Select2 draws after page load, again for every inline row
// added, and redraws a menu's inside on every change). The fields of tabular inline rows,
// which have no labels at all, are named by their column headings.
{
    function nameByLabel(selection) {
        const container = selection.closest('.select2-container');
        const select = container && container.previousElementSibling;
        if (!select || select.tagName !== 'SELECT' || !select.id) {
            return;
        }
        const label = document.querySelector(`label[for="${select.id}"]`) || columnHeading(select);
        if (!label) {
            return;
        }
        label.id = label.id || `${select.id}-label`;
        const ids = (selection.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
        if (!ids.includes(label.id)) {
            selection.setAttribute('aria-labelledby', [label.id, ...ids].join(' '));
        }
        // The choice shown inside is a read-only textbox of its own, and a menu of several
        // choices has a search box inside: both named by the label too.
        selection.querySelectorAll('[role="textbox"], .select2-search__field').forEach((box) => {
            box.setAttribute('aria-labelledby', label.id);
        });
        keepListItems(selection);
    }

    // A menu of several choices lists them in a <ul>, into which Select2 also puts its
    // "remove all" cross as a bare <span> (axe: list). The cross goes into an item of its
    // own; Select2 empties the list when the choices change, item and all.
    function keepListItems(selection) {
        selection.querySelectorAll('ul > .select2-selection__clear').forEach((cross) => {
            const item = document.createElement('li');
            item.className = 'select2-selection__clear-item';
            cross.replaceWith(item);
            item.appendChild(cross);
        });
    }

    // A tabular inline (a speaker's offices) has no <label>s: its column headings name the
    // fields beneath them (axe: label).
    function columnHeading(field) {
        const cell = field.closest('td');
        const table = cell && cell.closest('table');
        const row = table && table.tHead && table.tHead.rows[0];
        const heading = row && row.cells[cell.cellIndex];
        if (!heading || !heading.textContent.trim()) {
            return null;
        }
        const group = table.closest('.inline-group');
        heading.id = heading.id || `${group ? group.id : 'inline'}-column-${cell.cellIndex}`;
        return heading;
    }

    function nameByColumn(field) {
        if ((field.labels && field.labels.length) || field.hasAttribute('aria-labelledby')) {
            return;
        }
        const heading = columnHeading(field);
        if (heading) {
            field.setAttribute('aria-labelledby', heading.id);
        }
    }

    const TABULAR_FIELDS = '.tabular td input:not([type="hidden"]), .tabular td select, .tabular td textarea';

    function nameAll(root) {
        if (!root.querySelectorAll) {
            return;  // text
        }
        // Select2 redraws the inside of a menu (its choices, its search box) on every change.
        const selection = root.closest ? root.closest('.select2-selection') : null;
        if (selection) {
            nameByLabel(selection);
        }
        root.querySelectorAll('.select2-selection').forEach(nameByLabel);
        root.querySelectorAll(TABULAR_FIELDS).forEach(nameByColumn);
    }

    // A menu of one choice opens a drop-down of its own, at the end of the page, whose
    // search box has no name either (axe: label): named by the menu's label while open.
    // Select2 points its open combobox at the results with aria-owns; ARIA 1.2 asks
    // aria-controls of an expanded combobox (axe: aria-required-attr), set while it is open.
    function opened(event) {
        const select = event.target;
        const container = select.nextElementSibling;
        const combobox = container && container.querySelector('.select2-selection[role="combobox"]');
        const results = document.getElementById(`select2-${select.id}-results`);
        if (combobox && results) {
            combobox.setAttribute('aria-controls', results.id);
        }
        const label = document.querySelector(`label[for="${select.id}"]`) || columnHeading(select);
        if (!label) {
            return;
        }
        label.id = label.id || `${select.id}-label`;
        document.querySelectorAll('.select2-dropdown .select2-search__field').forEach((box) => {
            box.setAttribute('aria-labelledby', label.id);
        });
    }

    function closed(event) {
        const container = event.target.nextElementSibling;
        const combobox = container && container.querySelector('.select2-selection[role="combobox"]');
        if (combobox) {
            combobox.removeAttribute('aria-controls');
        }
    }

    document.addEventListener('DOMContentLoaded', () => {
        // Select2's events are jQuery's, on the admin's own copy of it.
        const jquery = window.django && window.django.jQuery;
        if (jquery) {
            jquery(document).on('select2:open', opened).on('select2:close', closed);
        }
    });

    new MutationObserver((changes) => {
        changes.forEach((change) => change.addedNodes.forEach(nameAll));
    }).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener('DOMContentLoaded', () => nameAll(document));
}
