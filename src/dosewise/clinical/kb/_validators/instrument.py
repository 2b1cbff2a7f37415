# Generated from schema/instrument.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = 'de621e5f5111956bbda55b0976abefe404a106690ba951092ede634487936edb'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z][a-z0-9_]*$': re.compile('^[a-z][a-z0-9_]*\\Z'),
    '^[0-9]{1,7}-[0-9]$': re.compile('^[0-9]{1,7}-[0-9]\\Z'),
    '^[a-z0-9][a-z0-9\\-]*$': re.compile('^[a-z0-9][a-z0-9\\-]*\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['key', 'name', 'short_name', 'rater', 'instructions', 'sources', 'licence', 'items', 'scoring']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "key" in data_keys:
            data_keys.remove("key")
            data__key = data["key"]
            if not isinstance(data__key, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".key must be string")
            if isinstance(data__key, str):
                if not REGEX_PATTERNS['^[a-z][a-z0-9_]*$'].search(data__key):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".key must match pattern ^[a-z][a-z0-9_]*$")
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 3:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be longer than or equal to 3 characters")
        if "short_name" in data_keys:
            data_keys.remove("short_name")
            data__shortname = data["short_name"]
            if not isinstance(data__shortname, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".short_name must be string")
            if isinstance(data__shortname, str):
                data__shortname_len = len(data__shortname)
                if data__shortname_len < 2:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".short_name must be longer than or equal to 2 characters")
        if "rater" in data_keys:
            data_keys.remove("rater")
            data__rater = data["rater"]
            if not (isinstance(data__rater, str) and data__rater == 'self' or isinstance(data__rater, str) and data__rater == 'clinician'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rater must be one of ['self', 'clinician']")
        if "instructions" in data_keys:
            data_keys.remove("instructions")
            data__instructions = data["instructions"]
            if not isinstance(data__instructions, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".instructions must be string")
            if isinstance(data__instructions, str):
                data__instructions_len = len(data__instructions)
                if data__instructions_len < 3:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".instructions must be longer than or equal to 3 characters")
        if "loinc" in data_keys:
            data_keys.remove("loinc")
            data__loinc = data["loinc"]
            if not isinstance(data__loinc, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".loinc must be object")
            data__loinc_is_dict = isinstance(data__loinc, dict)
            if data__loinc_is_dict:
                data__loinc_keys = set(data__loinc.keys())
                if "panel" in data__loinc_keys:
                    data__loinc_keys.remove("panel")
                    data__loinc__panel = data__loinc["panel"]
                    if not isinstance(data__loinc__panel, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".loinc.panel must be string")
                    if isinstance(data__loinc__panel, str):
                        if not REGEX_PATTERNS['^[0-9]{1,7}-[0-9]$'].search(data__loinc__panel):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".loinc.panel must match pattern ^[0-9]{1,7}-[0-9]$")
                if "total" in data__loinc_keys:
                    data__loinc_keys.remove("total")
                    data__loinc__total = data__loinc["total"]
                    if not isinstance(data__loinc__total, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".loinc.total must be string")
                    if isinstance(data__loinc__total, str):
                        if not REGEX_PATTERNS['^[0-9]{1,7}-[0-9]$'].search(data__loinc__total):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".loinc.total must match pattern ^[0-9]{1,7}-[0-9]$")
                if data__loinc_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".loinc must not contain "+str(data__loinc_keys)+" properties")
        if "sources" in data_keys:
            data_keys.remove("sources")
            data__sources = data["sources"]
            if not isinstance(data__sources, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sources must be array")
            data__sources_is_list = isinstance(data__sources, (list, tuple))
            if data__sources_is_list:
                data__sources_len = len(data__sources)
                if data__sources_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sources must contain at least 1 items")
                for data__sources_x, data__sources_item in enumerate(data__sources):
                    validate___definitions_source(data__sources_item, custom_formats, (name_prefix or "data") + ".sources[{data__sources_x}]".format(**locals()))
        if "licence" in data_keys:
            data_keys.remove("licence")
            data__licence = data["licence"]
            if not isinstance(data__licence, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".licence must be string")
            if isinstance(data__licence, str):
                data__licence_len = len(data__licence)
                if data__licence_len < 20:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".licence must be longer than or equal to 20 characters")
        if "option_sets" in data_keys:
            data_keys.remove("option_sets")
            data__optionsets = data["option_sets"]
            if not isinstance(data__optionsets, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".option_sets must be object")
            data__optionsets_is_dict = isinstance(data__optionsets, dict)
            if data__optionsets_is_dict:
                data__optionsets_keys = set(data__optionsets.keys())
                for data__optionsets_key in data__optionsets_keys:
                    if data__optionsets_key not in []:
                        data__optionsets_value = data__optionsets.get(data__optionsets_key)
                        validate___definitions_options(data__optionsets_value, custom_formats, (name_prefix or "data") + ".option_sets.{data__optionsets_key}".format(**locals()))
        if "items" in data_keys:
            data_keys.remove("items")
            data__items = data["items"]
            if not isinstance(data__items, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".items must be array")
            data__items_is_list = isinstance(data__items, (list, tuple))
            if data__items_is_list:
                data__items_len = len(data__items)
                if data__items_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".items must contain at least 1 items")
                for data__items_x, data__items_item in enumerate(data__items):
                    if not isinstance(data__items_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}]".format(**locals()) + " must be object")
                    data__items_item_one_of_count1 = 0
                    if data__items_item_one_of_count1 < 2:
                        try:
                            data__items_item_is_dict = isinstance(data__items_item, dict)
                            if data__items_item_is_dict:
                                data__items_item__missing_keys = set(['options']) - data__items_item.keys()
                                if data__items_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}]".format(**locals()) + " must contain ")
                            data__items_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__items_item_one_of_count1 < 2:
                        try:
                            data__items_item_is_dict = isinstance(data__items_item, dict)
                            if data__items_item_is_dict:
                                data__items_item__missing_keys = set(['range']) - data__items_item.keys()
                                if data__items_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}]".format(**locals()) + " must contain ")
                            data__items_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__items_item_one_of_count1 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}]".format(**locals()) + " must be valid exactly by one definition")
                    data__items_item_is_dict = isinstance(data__items_item, dict)
                    if data__items_item_is_dict:
                        data__items_item__missing_keys = set(['number', 'text']) - data__items_item.keys()
                        if data__items_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}]".format(**locals()) + " must contain ")
                        data__items_item_keys = set(data__items_item.keys())
                        if "number" in data__items_item_keys:
                            data__items_item_keys.remove("number")
                            data__items_item__number = data__items_item["number"]
                            if not isinstance(data__items_item__number, (int)) and not (isinstance(data__items_item__number, float) and data__items_item__number.is_integer()) or isinstance(data__items_item__number, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].number".format(**locals()) + " must be integer")
                            if isinstance(data__items_item__number, (int, float, Decimal)) and not isinstance(data__items_item__number, bool):
                                if data__items_item__number < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].number".format(**locals()) + " must be bigger than or equal to 1")
                        if "text" in data__items_item_keys:
                            data__items_item_keys.remove("text")
                            data__items_item__text = data__items_item["text"]
                            if not isinstance(data__items_item__text, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].text".format(**locals()) + " must be string")
                            if isinstance(data__items_item__text, str):
                                data__items_item__text_len = len(data__items_item__text)
                                if data__items_item__text_len < 2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].text".format(**locals()) + " must be longer than or equal to 2 characters")
                        if "options" in data__items_item_keys:
                            data__items_item_keys.remove("options")
                            data__items_item__options = data__items_item["options"]
                            data__items_item__options_one_of_count2 = 0
                            if data__items_item__options_one_of_count2 < 2:
                                try:
                                    if not isinstance(data__items_item__options, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].options".format(**locals()) + " must be string")
                                    data__items_item__options_one_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__items_item__options_one_of_count2 < 2:
                                try:
                                    validate___definitions_options(data__items_item__options, custom_formats, (name_prefix or "data") + ".items[{data__items_x}].options".format(**locals()))
                                    data__items_item__options_one_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__items_item__options_one_of_count2 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].options".format(**locals()) + " must be valid exactly by one definition")
                        if "range" in data__items_item_keys:
                            data__items_item_keys.remove("range")
                            data__items_item__range = data__items_item["range"]
                            if not isinstance(data__items_item__range, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].range".format(**locals()) + " must be object")
                            data__items_item__range_is_dict = isinstance(data__items_item__range, dict)
                            if data__items_item__range_is_dict:
                                data__items_item__range__missing_keys = set(['min', 'max']) - data__items_item__range.keys()
                                if data__items_item__range__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].range".format(**locals()) + " must contain ")
                                data__items_item__range_keys = set(data__items_item__range.keys())
                                if "min" in data__items_item__range_keys:
                                    data__items_item__range_keys.remove("min")
                                    data__items_item__range__min = data__items_item__range["min"]
                                    if not isinstance(data__items_item__range__min, (int)) and not (isinstance(data__items_item__range__min, float) and data__items_item__range__min.is_integer()) or isinstance(data__items_item__range__min, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].range.min".format(**locals()) + " must be integer")
                                if "max" in data__items_item__range_keys:
                                    data__items_item__range_keys.remove("max")
                                    data__items_item__range__max = data__items_item__range["max"]
                                    if not isinstance(data__items_item__range__max, (int)) and not (isinstance(data__items_item__range__max, float) and data__items_item__range__max.is_integer()) or isinstance(data__items_item__range__max, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].range.max".format(**locals()) + " must be integer")
                                if "unit" in data__items_item__range_keys:
                                    data__items_item__range_keys.remove("unit")
                                    data__items_item__range__unit = data__items_item__range["unit"]
                                    if not isinstance(data__items_item__range__unit, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].range.unit".format(**locals()) + " must be string")
                                if data__items_item__range_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].range".format(**locals()) + " must not contain "+str(data__items_item__range_keys)+" properties")
                        if "reverse" in data__items_item_keys:
                            data__items_item_keys.remove("reverse")
                            data__items_item__reverse = data__items_item["reverse"]
                            if not isinstance(data__items_item__reverse, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}].reverse".format(**locals()) + " must be boolean")
                        if "ask_if" in data__items_item_keys:
                            data__items_item_keys.remove("ask_if")
                            data__items_item__askif = data__items_item["ask_if"]
                            validate___definitions_item_condition(data__items_item__askif, custom_formats, (name_prefix or "data") + ".items[{data__items_x}].ask_if".format(**locals()))
                        if data__items_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".items[{data__items_x}]".format(**locals()) + " must not contain "+str(data__items_item_keys)+" properties")
        if "scoring" in data_keys:
            data_keys.remove("scoring")
            data__scoring = data["scoring"]
            if not isinstance(data__scoring, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".scoring must be object")
            data__scoring_is_dict = isinstance(data__scoring, dict)
            if data__scoring_is_dict:
                data__scoring__missing_keys = set(['source']) - data__scoring.keys()
                if data__scoring__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".scoring must contain ")
                data__scoring_keys = set(data__scoring.keys())
                if "items" in data__scoring_keys:
                    data__scoring_keys.remove("items")
                    data__scoring__items = data__scoring["items"]
                    validate___definitions_item_numbers(data__scoring__items, custom_formats, (name_prefix or "data") + ".scoring.items")
                if "multiplier" in data__scoring_keys:
                    data__scoring_keys.remove("multiplier")
                    data__scoring__multiplier = data__scoring["multiplier"]
                    if not isinstance(data__scoring__multiplier, (int, float, Decimal)) or isinstance(data__scoring__multiplier, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".scoring.multiplier must be number")
                    if isinstance(data__scoring__multiplier, (int, float, Decimal)) and not isinstance(data__scoring__multiplier, bool):
                        if data__scoring__multiplier <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".scoring.multiplier must be bigger than 0")
                if "cap" in data__scoring_keys:
                    data__scoring_keys.remove("cap")
                    data__scoring__cap = data__scoring["cap"]
                    if not isinstance(data__scoring__cap, (int)) and not (isinstance(data__scoring__cap, float) and data__scoring__cap.is_integer()) or isinstance(data__scoring__cap, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".scoring.cap must be integer")
                if "label" in data__scoring_keys:
                    data__scoring_keys.remove("label")
                    data__scoring__label = data__scoring["label"]
                    if not isinstance(data__scoring__label, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".scoring.label must be string")
                if "higher_is_better" in data__scoring_keys:
                    data__scoring_keys.remove("higher_is_better")
                    data__scoring__higherisbetter = data__scoring["higher_is_better"]
                    if not isinstance(data__scoring__higherisbetter, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".scoring.higher_is_better must be boolean")
                if "source" in data__scoring_keys:
                    data__scoring_keys.remove("source")
                    data__scoring__source = data__scoring["source"]
                    validate___definitions_source(data__scoring__source, custom_formats, (name_prefix or "data") + ".scoring.source")
                if data__scoring_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".scoring must not contain "+str(data__scoring_keys)+" properties")
        if "subscales" in data_keys:
            data_keys.remove("subscales")
            data__subscales = data["subscales"]
            if not isinstance(data__subscales, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".subscales must be array")
            data__subscales_is_list = isinstance(data__subscales, (list, tuple))
            if data__subscales_is_list:
                data__subscales_len = len(data__subscales)
                for data__subscales_x, data__subscales_item in enumerate(data__subscales):
                    if not isinstance(data__subscales_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".subscales[{data__subscales_x}]".format(**locals()) + " must be object")
                    data__subscales_item_is_dict = isinstance(data__subscales_item, dict)
                    if data__subscales_item_is_dict:
                        data__subscales_item__missing_keys = set(['key', 'label', 'items', 'source']) - data__subscales_item.keys()
                        if data__subscales_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".subscales[{data__subscales_x}]".format(**locals()) + " must contain ")
                        data__subscales_item_keys = set(data__subscales_item.keys())
                        if "key" in data__subscales_item_keys:
                            data__subscales_item_keys.remove("key")
                            data__subscales_item__key = data__subscales_item["key"]
                            if not isinstance(data__subscales_item__key, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".subscales[{data__subscales_x}].key".format(**locals()) + " must be string")
                            if isinstance(data__subscales_item__key, str):
                                if not REGEX_PATTERNS['^[a-z][a-z0-9_]*$'].search(data__subscales_item__key):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".subscales[{data__subscales_x}].key".format(**locals()) + " must match pattern ^[a-z][a-z0-9_]*$")
                        if "label" in data__subscales_item_keys:
                            data__subscales_item_keys.remove("label")
                            data__subscales_item__label = data__subscales_item["label"]
                            if not isinstance(data__subscales_item__label, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".subscales[{data__subscales_x}].label".format(**locals()) + " must be string")
                        if "items" in data__subscales_item_keys:
                            data__subscales_item_keys.remove("items")
                            data__subscales_item__items = data__subscales_item["items"]
                            validate___definitions_item_numbers(data__subscales_item__items, custom_formats, (name_prefix or "data") + ".subscales[{data__subscales_x}].items".format(**locals()))
                        if "source" in data__subscales_item_keys:
                            data__subscales_item_keys.remove("source")
                            data__subscales_item__source = data__subscales_item["source"]
                            validate___definitions_source(data__subscales_item__source, custom_formats, (name_prefix or "data") + ".subscales[{data__subscales_x}].source".format(**locals()))
                        if data__subscales_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".subscales[{data__subscales_x}]".format(**locals()) + " must not contain "+str(data__subscales_item_keys)+" properties")
        if "bands" in data_keys:
            data_keys.remove("bands")
            data__bands = data["bands"]
            if not isinstance(data__bands, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands must be object")
            data__bands_is_dict = isinstance(data__bands, dict)
            if data__bands_is_dict:
                data__bands__missing_keys = set(['ranges', 'source']) - data__bands.keys()
                if data__bands__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands must contain ")
                data__bands_keys = set(data__bands.keys())
                if "ranges" in data__bands_keys:
                    data__bands_keys.remove("ranges")
                    data__bands__ranges = data__bands["ranges"]
                    if not isinstance(data__bands__ranges, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands.ranges must be array")
                    data__bands__ranges_is_list = isinstance(data__bands__ranges, (list, tuple))
                    if data__bands__ranges_is_list:
                        data__bands__ranges_len = len(data__bands__ranges)
                        if data__bands__ranges_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands.ranges must contain at least 1 items")
                        for data__bands__ranges_x, data__bands__ranges_item in enumerate(data__bands__ranges):
                            if not isinstance(data__bands__ranges_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands.ranges[{data__bands__ranges_x}]".format(**locals()) + " must be object")
                            data__bands__ranges_item_is_dict = isinstance(data__bands__ranges_item, dict)
                            if data__bands__ranges_item_is_dict:
                                data__bands__ranges_item__missing_keys = set(['min', 'max', 'label']) - data__bands__ranges_item.keys()
                                if data__bands__ranges_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands.ranges[{data__bands__ranges_x}]".format(**locals()) + " must contain ")
                                data__bands__ranges_item_keys = set(data__bands__ranges_item.keys())
                                if "min" in data__bands__ranges_item_keys:
                                    data__bands__ranges_item_keys.remove("min")
                                    data__bands__ranges_item__min = data__bands__ranges_item["min"]
                                    if not isinstance(data__bands__ranges_item__min, (int, float, Decimal)) or isinstance(data__bands__ranges_item__min, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands.ranges[{data__bands__ranges_x}].min".format(**locals()) + " must be number")
                                if "max" in data__bands__ranges_item_keys:
                                    data__bands__ranges_item_keys.remove("max")
                                    data__bands__ranges_item__max = data__bands__ranges_item["max"]
                                    if not isinstance(data__bands__ranges_item__max, (int, float, Decimal)) or isinstance(data__bands__ranges_item__max, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands.ranges[{data__bands__ranges_x}].max".format(**locals()) + " must be number")
                                if "label" in data__bands__ranges_item_keys:
                                    data__bands__ranges_item_keys.remove("label")
                                    data__bands__ranges_item__label = data__bands__ranges_item["label"]
                                    if not isinstance(data__bands__ranges_item__label, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands.ranges[{data__bands__ranges_x}].label".format(**locals()) + " must be string")
                                    if isinstance(data__bands__ranges_item__label, str):
                                        data__bands__ranges_item__label_len = len(data__bands__ranges_item__label)
                                        if data__bands__ranges_item__label_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands.ranges[{data__bands__ranges_x}].label".format(**locals()) + " must be longer than or equal to 1 characters")
                                if data__bands__ranges_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands.ranges[{data__bands__ranges_x}]".format(**locals()) + " must not contain "+str(data__bands__ranges_item_keys)+" properties")
                if "source" in data__bands_keys:
                    data__bands_keys.remove("source")
                    data__bands__source = data__bands["source"]
                    validate___definitions_source(data__bands__source, custom_formats, (name_prefix or "data") + ".bands.source")
                if data__bands_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".bands must not contain "+str(data__bands_keys)+" properties")
        if "positive" in data_keys:
            data_keys.remove("positive")
            data__positive = data["positive"]
            if not isinstance(data__positive, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".positive must be object")
            data__positive_is_dict = isinstance(data__positive, dict)
            if data__positive_is_dict:
                data__positive__missing_keys = set(['any_of', 'source']) - data__positive.keys()
                if data__positive__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".positive must contain ")
                data__positive_keys = set(data__positive.keys())
                if "any_of" in data__positive_keys:
                    data__positive_keys.remove("any_of")
                    data__positive__anyof = data__positive["any_of"]
                    if not isinstance(data__positive__anyof, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".positive.any_of must be array")
                    data__positive__anyof_is_list = isinstance(data__positive__anyof, (list, tuple))
                    if data__positive__anyof_is_list:
                        data__positive__anyof_len = len(data__positive__anyof)
                        if data__positive__anyof_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".positive.any_of must contain at least 1 items")
                        for data__positive__anyof_x, data__positive__anyof_item in enumerate(data__positive__anyof):
                            data__positive__anyof_item_one_of_count3 = 0
                            if data__positive__anyof_item_one_of_count3 < 2:
                                try:
                                    validate___definitions_item_condition(data__positive__anyof_item, custom_formats, (name_prefix or "data") + ".positive.any_of[{data__positive__anyof_x}]".format(**locals()))
                                    data__positive__anyof_item_one_of_count3 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__positive__anyof_item_one_of_count3 < 2:
                                try:
                                    validate___definitions_total_condition(data__positive__anyof_item, custom_formats, (name_prefix or "data") + ".positive.any_of[{data__positive__anyof_x}]".format(**locals()))
                                    data__positive__anyof_item_one_of_count3 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__positive__anyof_item_one_of_count3 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".positive.any_of[{data__positive__anyof_x}]".format(**locals()) + " must be valid exactly by one definition")
                if "source" in data__positive_keys:
                    data__positive_keys.remove("source")
                    data__positive__source = data__positive["source"]
                    validate___definitions_source(data__positive__source, custom_formats, (name_prefix or "data") + ".positive.source")
                if data__positive_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".positive must not contain "+str(data__positive_keys)+" properties")
        if "alerts" in data_keys:
            data_keys.remove("alerts")
            data__alerts = data["alerts"]
            if not isinstance(data__alerts, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts must be array")
            data__alerts_is_list = isinstance(data__alerts, (list, tuple))
            if data__alerts_is_list:
                data__alerts_len = len(data__alerts)
                for data__alerts_x, data__alerts_item in enumerate(data__alerts):
                    if not isinstance(data__alerts_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts[{data__alerts_x}]".format(**locals()) + " must be object")
                    data__alerts_item_is_dict = isinstance(data__alerts_item, dict)
                    if data__alerts_item_is_dict:
                        data__alerts_item__missing_keys = set(['when', 'code', 'level', 'message', 'source']) - data__alerts_item.keys()
                        if data__alerts_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts[{data__alerts_x}]".format(**locals()) + " must contain ")
                        data__alerts_item_keys = set(data__alerts_item.keys())
                        if "when" in data__alerts_item_keys:
                            data__alerts_item_keys.remove("when")
                            data__alerts_item__when = data__alerts_item["when"]
                            data__alerts_item__when_one_of_count4 = 0
                            if data__alerts_item__when_one_of_count4 < 2:
                                try:
                                    validate___definitions_item_condition(data__alerts_item__when, custom_formats, (name_prefix or "data") + ".alerts[{data__alerts_x}].when".format(**locals()))
                                    data__alerts_item__when_one_of_count4 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__alerts_item__when_one_of_count4 < 2:
                                try:
                                    validate___definitions_total_condition(data__alerts_item__when, custom_formats, (name_prefix or "data") + ".alerts[{data__alerts_x}].when".format(**locals()))
                                    data__alerts_item__when_one_of_count4 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__alerts_item__when_one_of_count4 < 2:
                                try:
                                    validate___definitions_positive_condition(data__alerts_item__when, custom_formats, (name_prefix or "data") + ".alerts[{data__alerts_x}].when".format(**locals()))
                                    data__alerts_item__when_one_of_count4 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__alerts_item__when_one_of_count4 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts[{data__alerts_x}].when".format(**locals()) + " must be valid exactly by one definition")
                        if "code" in data__alerts_item_keys:
                            data__alerts_item_keys.remove("code")
                            data__alerts_item__code = data__alerts_item["code"]
                            if not isinstance(data__alerts_item__code, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts[{data__alerts_x}].code".format(**locals()) + " must be string")
                            if isinstance(data__alerts_item__code, str):
                                if not REGEX_PATTERNS['^[a-z0-9][a-z0-9\\-]*$'].search(data__alerts_item__code):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts[{data__alerts_x}].code".format(**locals()) + " must match pattern ^[a-z0-9][a-z0-9\\-]*$")
                        if "level" in data__alerts_item_keys:
                            data__alerts_item_keys.remove("level")
                            data__alerts_item__level = data__alerts_item["level"]
                            if not (isinstance(data__alerts_item__level, str) and data__alerts_item__level == 'warning' or isinstance(data__alerts_item__level, str) and data__alerts_item__level == 'urgent' or isinstance(data__alerts_item__level, str) and data__alerts_item__level == 'acute'):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts[{data__alerts_x}].level".format(**locals()) + " must be one of ['warning', 'urgent', 'acute']")
                        if "message" in data__alerts_item_keys:
                            data__alerts_item_keys.remove("message")
                            data__alerts_item__message = data__alerts_item["message"]
                            if not isinstance(data__alerts_item__message, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts[{data__alerts_x}].message".format(**locals()) + " must be string")
                            if isinstance(data__alerts_item__message, str):
                                data__alerts_item__message_len = len(data__alerts_item__message)
                                if data__alerts_item__message_len < 10:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts[{data__alerts_x}].message".format(**locals()) + " must be longer than or equal to 10 characters")
                        if "source" in data__alerts_item_keys:
                            data__alerts_item_keys.remove("source")
                            data__alerts_item__source = data__alerts_item["source"]
                            validate___definitions_source(data__alerts_item__source, custom_formats, (name_prefix or "data") + ".alerts[{data__alerts_x}].source".format(**locals()))
                        if data__alerts_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".alerts[{data__alerts_x}]".format(**locals()) + " must not contain "+str(data__alerts_item_keys)+" properties")
        if "missing" in data_keys:
            data_keys.remove("missing")
            data__missing = data["missing"]
            if not isinstance(data__missing, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing must be object")
            try:
                data__missing_is_dict = isinstance(data__missing, dict)
                if data__missing_is_dict:
                    data__missing_keys = set(data__missing.keys())
                    if "rule" in data__missing_keys:
                        data__missing_keys.remove("rule")
                        data__missing__rule = data__missing["rule"]
                        if not (isinstance(data__missing__rule, str) and data__missing__rule == 'prorate'):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing.rule must be one of ['prorate']")
            except (JsonSchemaValueException, JsonSchemaValuesException):
                pass
            else:
                data__missing_is_dict = isinstance(data__missing, dict)
                if data__missing_is_dict:
                    data__missing__missing_keys = set(['max_missing']) - data__missing.keys()
                    if data__missing__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing must contain ")
            try:
                data__missing_is_dict = isinstance(data__missing, dict)
                if data__missing_is_dict:
                    data__missing_keys = set(data__missing.keys())
                    if "rule" in data__missing_keys:
                        data__missing_keys.remove("rule")
                        data__missing__rule = data__missing["rule"]
                        if not (isinstance(data__missing__rule, str) and data__missing__rule == 'count_as'):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing.rule must be one of ['count_as']")
            except (JsonSchemaValueException, JsonSchemaValuesException):
                pass
            else:
                data__missing_is_dict = isinstance(data__missing, dict)
                if data__missing_is_dict:
                    data__missing__missing_keys = set(['value']) - data__missing.keys()
                    if data__missing__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing must contain ")
            data__missing_is_dict = isinstance(data__missing, dict)
            if data__missing_is_dict:
                data__missing__missing_keys = set(['rule', 'source']) - data__missing.keys()
                if data__missing__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing must contain ")
                data__missing_keys = set(data__missing.keys())
                if "rule" in data__missing_keys:
                    data__missing_keys.remove("rule")
                    data__missing__rule = data__missing["rule"]
                    if not (isinstance(data__missing__rule, str) and data__missing__rule == 'refuse' or isinstance(data__missing__rule, str) and data__missing__rule == 'prorate' or isinstance(data__missing__rule, str) and data__missing__rule == 'count_as'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing.rule must be one of ['refuse', 'prorate', 'count_as']")
                if "max_missing" in data__missing_keys:
                    data__missing_keys.remove("max_missing")
                    data__missing__maxmissing = data__missing["max_missing"]
                    if not isinstance(data__missing__maxmissing, (int)) and not (isinstance(data__missing__maxmissing, float) and data__missing__maxmissing.is_integer()) or isinstance(data__missing__maxmissing, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing.max_missing must be integer")
                    if isinstance(data__missing__maxmissing, (int, float, Decimal)) and not isinstance(data__missing__maxmissing, bool):
                        if data__missing__maxmissing < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing.max_missing must be bigger than or equal to 1")
                if "value" in data__missing_keys:
                    data__missing_keys.remove("value")
                    data__missing__value = data__missing["value"]
                    if not isinstance(data__missing__value, (int)) and not (isinstance(data__missing__value, float) and data__missing__value.is_integer()) or isinstance(data__missing__value, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing.value must be integer")
                if "source" in data__missing_keys:
                    data__missing_keys.remove("source")
                    data__missing__source = data__missing["source"]
                    validate___definitions_source(data__missing__source, custom_formats, (name_prefix or "data") + ".missing.source")
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".missing must not contain "+str(data__missing_keys)+" properties")
        if "outcomes" in data_keys:
            data_keys.remove("outcomes")
            data__outcomes = data["outcomes"]
            if not isinstance(data__outcomes, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes must be object")
            data__outcomes_is_dict = isinstance(data__outcomes, dict)
            if data__outcomes_is_dict:
                data__outcomes__missing_keys = set(['response_reduction', 'remission_below', 'source']) - data__outcomes.keys()
                if data__outcomes__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes must contain ")
                data__outcomes_keys = set(data__outcomes.keys())
                if "response_reduction" in data__outcomes_keys:
                    data__outcomes_keys.remove("response_reduction")
                    data__outcomes__responsereduction = data__outcomes["response_reduction"]
                    if not isinstance(data__outcomes__responsereduction, (int, float, Decimal)) or isinstance(data__outcomes__responsereduction, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.response_reduction must be number")
                    if isinstance(data__outcomes__responsereduction, (int, float, Decimal)) and not isinstance(data__outcomes__responsereduction, bool):
                        if data__outcomes__responsereduction > 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.response_reduction must be smaller than or equal to 1")
                        if data__outcomes__responsereduction <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.response_reduction must be bigger than 0")
                if "remission_below" in data__outcomes_keys:
                    data__outcomes_keys.remove("remission_below")
                    data__outcomes__remissionbelow = data__outcomes["remission_below"]
                    if not isinstance(data__outcomes__remissionbelow, (int, float, Decimal)) or isinstance(data__outcomes__remissionbelow, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.remission_below must be number")
                if "source" in data__outcomes_keys:
                    data__outcomes_keys.remove("source")
                    data__outcomes__source = data__outcomes["source"]
                    validate___definitions_source(data__outcomes__source, custom_formats, (name_prefix or "data") + ".outcomes.source")
                if "reliable_change" in data__outcomes_keys:
                    data__outcomes_keys.remove("reliable_change")
                    data__outcomes__reliablechange = data__outcomes["reliable_change"]
                    if not isinstance(data__outcomes__reliablechange, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.reliable_change must be object")
                    data__outcomes__reliablechange_is_dict = isinstance(data__outcomes__reliablechange, dict)
                    if data__outcomes__reliablechange_is_dict:
                        data__outcomes__reliablechange__missing_keys = set(['sd', 'reliability', 'source']) - data__outcomes__reliablechange.keys()
                        if data__outcomes__reliablechange__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.reliable_change must contain ")
                        data__outcomes__reliablechange_keys = set(data__outcomes__reliablechange.keys())
                        if "sd" in data__outcomes__reliablechange_keys:
                            data__outcomes__reliablechange_keys.remove("sd")
                            data__outcomes__reliablechange__sd = data__outcomes__reliablechange["sd"]
                            if not isinstance(data__outcomes__reliablechange__sd, (int, float, Decimal)) or isinstance(data__outcomes__reliablechange__sd, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.reliable_change.sd must be number")
                            if isinstance(data__outcomes__reliablechange__sd, (int, float, Decimal)) and not isinstance(data__outcomes__reliablechange__sd, bool):
                                if data__outcomes__reliablechange__sd <= 0:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.reliable_change.sd must be bigger than 0")
                        if "reliability" in data__outcomes__reliablechange_keys:
                            data__outcomes__reliablechange_keys.remove("reliability")
                            data__outcomes__reliablechange__reliability = data__outcomes__reliablechange["reliability"]
                            if not isinstance(data__outcomes__reliablechange__reliability, (int, float, Decimal)) or isinstance(data__outcomes__reliablechange__reliability, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.reliable_change.reliability must be number")
                            if isinstance(data__outcomes__reliablechange__reliability, (int, float, Decimal)) and not isinstance(data__outcomes__reliablechange__reliability, bool):
                                if data__outcomes__reliablechange__reliability <= 0:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.reliable_change.reliability must be bigger than 0")
                                if data__outcomes__reliablechange__reliability >= 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.reliable_change.reliability must be smaller than 1")
                        if "source" in data__outcomes__reliablechange_keys:
                            data__outcomes__reliablechange_keys.remove("source")
                            data__outcomes__reliablechange__source = data__outcomes__reliablechange["source"]
                            validate___definitions_source(data__outcomes__reliablechange__source, custom_formats, (name_prefix or "data") + ".outcomes.reliable_change.source")
                        if data__outcomes__reliablechange_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes.reliable_change must not contain "+str(data__outcomes__reliablechange_keys)+" properties")
                if data__outcomes_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".outcomes must not contain "+str(data__outcomes_keys)+" properties")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_positive_condition(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['positive']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "positive" in data_keys:
            data_keys.remove("positive")
            data__positive = data["positive"]
            if not (isinstance(data__positive, bool) and data__positive is True):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".positive must be one of [True]")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_total_condition(data, custom_formats={}, name_prefix=None):
    data_one_of_count5 = 0
    if data_one_of_count5 < 2:
        try:
            if not isinstance(data, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['total_at_least']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
                data_keys = set(data.keys())
                if "total_at_least" in data_keys:
                    data_keys.remove("total_at_least")
                    data__totalatleast = data["total_at_least"]
                    if not isinstance(data__totalatleast, (int, float, Decimal)) or isinstance(data__totalatleast, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".total_at_least must be number")
                if data_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
            data_one_of_count5 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count5 < 2:
        try:
            if not isinstance(data, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['total_at_most']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
                data_keys = set(data.keys())
                if "total_at_most" in data_keys:
                    data_keys.remove("total_at_most")
                    data__totalatmost = data["total_at_most"]
                    if not isinstance(data__totalatmost, (int, float, Decimal)) or isinstance(data__totalatmost, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".total_at_most must be number")
                if data_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
            data_one_of_count5 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count5 < 2:
        try:
            if not isinstance(data, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['total_at_least_by_sex']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
                data_keys = set(data.keys())
                if "total_at_least_by_sex" in data_keys:
                    data_keys.remove("total_at_least_by_sex")
                    data__totalatleastbysex = data["total_at_least_by_sex"]
                    if not isinstance(data__totalatleastbysex, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".total_at_least_by_sex must be object")
                    data__totalatleastbysex_is_dict = isinstance(data__totalatleastbysex, dict)
                    if data__totalatleastbysex_is_dict:
                        data__totalatleastbysex__missing_keys = set(['female', 'male']) - data__totalatleastbysex.keys()
                        if data__totalatleastbysex__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".total_at_least_by_sex must contain ")
                        data__totalatleastbysex_keys = set(data__totalatleastbysex.keys())
                        if "female" in data__totalatleastbysex_keys:
                            data__totalatleastbysex_keys.remove("female")
                            data__totalatleastbysex__female = data__totalatleastbysex["female"]
                            if not isinstance(data__totalatleastbysex__female, (int, float, Decimal)) or isinstance(data__totalatleastbysex__female, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".total_at_least_by_sex.female must be number")
                        if "male" in data__totalatleastbysex_keys:
                            data__totalatleastbysex_keys.remove("male")
                            data__totalatleastbysex__male = data__totalatleastbysex["male"]
                            if not isinstance(data__totalatleastbysex__male, (int, float, Decimal)) or isinstance(data__totalatleastbysex__male, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".total_at_least_by_sex.male must be number")
                        if data__totalatleastbysex_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".total_at_least_by_sex must not contain "+str(data__totalatleastbysex_keys)+" properties")
                if data_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
            data_one_of_count5 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count5 != 1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition")
    return data

def validate___definitions_item_numbers(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array")
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 items")
        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
        if data_len > len(set(fn(data_x) for data_x in data)):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain unique items")
        for data_x, data_item in enumerate(data):
            if not isinstance(data_item, (int)) and not (isinstance(data_item, float) and data_item.is_integer()) or isinstance(data_item, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be integer")
            if isinstance(data_item, (int, float, Decimal)) and not isinstance(data_item, bool):
                if data_item < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be bigger than or equal to 1")
    return data

def validate___definitions_item_condition(data, custom_formats={}, name_prefix=None):
    data_one_of_count6 = 0
    if data_one_of_count6 < 2:
        try:
            if not isinstance(data, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['item', 'at_least']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
                data_keys = set(data.keys())
                if "item" in data_keys:
                    data_keys.remove("item")
                    data__item = data["item"]
                    if not isinstance(data__item, (int)) and not (isinstance(data__item, float) and data__item.is_integer()) or isinstance(data__item, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".item must be integer")
                    if isinstance(data__item, (int, float, Decimal)) and not isinstance(data__item, bool):
                        if data__item < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".item must be bigger than or equal to 1")
                if "at_least" in data_keys:
                    data_keys.remove("at_least")
                    data__atleast = data["at_least"]
                    if not isinstance(data__atleast, (int)) and not (isinstance(data__atleast, float) and data__atleast.is_integer()) or isinstance(data__atleast, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".at_least must be integer")
                if data_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
            data_one_of_count6 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count6 < 2:
        try:
            if not isinstance(data, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['items', 'at_least']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
                data_keys = set(data.keys())
                if "items" in data_keys:
                    data_keys.remove("items")
                    data__items = data["items"]
                    validate___definitions_item_numbers(data__items, custom_formats, (name_prefix or "data") + ".items")
                if "at_least" in data_keys:
                    data_keys.remove("at_least")
                    data__atleast = data["at_least"]
                    if not isinstance(data__atleast, (int)) and not (isinstance(data__atleast, float) and data__atleast.is_integer()) or isinstance(data__atleast, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".at_least must be integer")
                if "count_at_least" in data_keys:
                    data_keys.remove("count_at_least")
                    data__countatleast = data["count_at_least"]
                    if not isinstance(data__countatleast, (int)) and not (isinstance(data__countatleast, float) and data__countatleast.is_integer()) or isinstance(data__countatleast, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".count_at_least must be integer")
                    if isinstance(data__countatleast, (int, float, Decimal)) and not isinstance(data__countatleast, bool):
                        if data__countatleast < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".count_at_least must be bigger than or equal to 1")
                if data_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
            data_one_of_count6 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count6 != 1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition")
    return data

def validate___definitions_options(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array")
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len < 2:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 2 items")
        for data_x, data_item in enumerate(data):
            validate___definitions_option(data_item, custom_formats, (name_prefix or "data") + "[{data_x}]".format(**locals()))
    return data

def validate___definitions_option(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['value', 'label']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "value" in data_keys:
            data_keys.remove("value")
            data__value = data["value"]
            if not isinstance(data__value, (int)) and not (isinstance(data__value, float) and data__value.is_integer()) or isinstance(data__value, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".value must be integer")
        if "label" in data_keys:
            data_keys.remove("label")
            data__label = data["label"]
            if not isinstance(data__label, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".label must be string")
            if isinstance(data__label, str):
                data__label_len = len(data__label)
                if data__label_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".label must be longer than or equal to 1 characters")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_source(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 8:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 8 characters")
    return data