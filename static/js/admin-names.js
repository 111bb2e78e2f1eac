'use strict';
// The admin's autocomplete menus (Select2) name their combobox only by the choice shown, and
// the read-only textbox showing that choice not at all, so an empty menu has no name for a
// screen reader (axe: aria-input-field-name). Both are named by the field's label, as soon as Select2 draws it (a MutationObserver, because
// Select2 draws after page load, and again for every inline row added).
{
    function nameByLabel(selection) {
        const container = selection.closest('.select2-container');
        const select = container && container.previousElementSibling;
        if (!select || select.tagName !== 'SELECT' || !select.id) {
            return;
        }
        const label = document.querySelector(`label[for="${select.id}"]`);
        if (!label) {
            return;
        }
        label.id = label.id || `${select.id}-label`;
        const ids = (selection.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
        if (!ids.includes(label.id)) {
            selection.setAttribute('aria-labelledby', [label.id, ...ids].join(' '));
        }
        // The choice shown inside is a read-only textbox of its own: named by the label too.
        selection.querySelectorAll('[role="textbox"]').forEach((shown) => {
            shown.setAttribute('aria-labelledby', label.id);
        });
    }

    function nameAll(root) {
        if (root.matches && root.matches('.select2-selection')) {
            nameByLabel(root);
        }
        if (root.querySelectorAll) {
            root.querySelectorAll('.select2-selection').forEach(nameByLabel);
        }
    }

    new MutationObserver((changes) => {
        changes.forEach((change) => change.addedNodes.forEach(nameAll));
    }).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener('DOMContentLoaded', () => nameAll(document));
}
