'use strict';
// A new record's address (its slug) is filled in from its name as it is typed, by Django's
// URLify, which spells some letters otherwise than the server does when the field is left
// empty (archive.words.in_ascii): Greek "Καλημέρα" was "kalhmera" here and "kalimera" there,
// and letters it does not know ("Ō", Chinese) it drops ("Ōsaka" was "saka"). The field is
// filled in here only when every letter and digit of the name is one both spell alike
// (ASCII, and the Latin letters below, which tests/admin/test_slug_spelling.py checks
// against Django's table and the server's; "H₂O" and "½" the server spells, this script
// drops); otherwise it is left empty, and the server makes it on saving.
{
    const ALIKE = new Set('ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿĀāĂăĄąĆćČčĎďĒēĖėĘęĚěĞğĢģĪīĮįİıĶķĹĺĻļĽľŁłŃńŅņŇňŐőŔŕŘřŚśŞşŠšŤťŪūŮůŰűŲųŸŹźŻżŽž');

    function spelledAlike(text) {
        for (const char of text) {
            if (char > '\u007f' && /[\p{L}\p{N}]/u.test(char) && !ALIKE.has(char)) {
                return false;
            }
        }
        return true;
    }

    function alikeOnly(urlify) {
        return (text, length, allowUnicode) => (spelledAlike(text) ? urlify(text, length, allowUnicode) : '');
    }

    // Django's prepopulate.js calls the global URLify as each key is typed.
    if (window.URLify) {
        window.URLify = alikeOnly(window.URLify);
    } else {
        document.addEventListener('DOMContentLoaded', () => {
            if (window.URLify) {
                window.URLify = alikeOnly(window.URLify);
            }
        });
    }
}
