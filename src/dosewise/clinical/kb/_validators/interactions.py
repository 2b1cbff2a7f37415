# Generated from schema/interactions.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = 'cdea3a2b24b8705dda7ecea965c2bed79bd1a15d8ef4cdc3d6c9c308469b42e0'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9][a-z0-9\\-]*$': re.compile('^[a-z0-9][a-z0-9\\-]*\\Z'),
    '^[a-z0-9\\-]+$': re.compile('^[a-z0-9\\-]+\\Z'),
    '^[a-z][a-z0-9 \\-/]*$': re.compile('^[a-z][a-z0-9 \\-/]*\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['rules']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "rules" in data_keys:
            data_keys.remove("rules")
            data__rules = data["rules"]
            if not isinstance(data__rules, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules must be array")
            data__rules_is_list = isinstance(data__rules, (list, tuple))
            if data__rules_is_list:
                data__rules_len = len(data__rules)
                for data__rules_x, data__rules_item in enumerate(data__rules):
                    if not isinstance(data__rules_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must be object")
                    data__rules_item_is_dict = isinstance(data__rules_item, dict)
                    if data__rules_item_is_dict:
                        data__rules_item__missing_keys = set(['id', 'a', 'b', 'severity', 'summary', 'mechanism', 'action', 'sources']) - data__rules_item.keys()
                        if data__rules_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                        data__rules_item_keys = set(data__rules_item.keys())
                        if "id" in data__rules_item_keys:
                            data__rules_item_keys.remove("id")
                            data__rules_item__id = data__rules_item["id"]
                            if not isinstance(data__rules_item__id, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].id".format(**locals()) + " must be string")
                            if isinstance(data__rules_item__id, str):
                                if not REGEX_PATTERNS['^[a-z0-9][a-z0-9\\-]*$'].search(data__rules_item__id):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].id".format(**locals()) + " must match pattern ^[a-z0-9][a-z0-9\\-]*$")
                        if "a" in data__rules_item_keys:
                            data__rules_item_keys.remove("a")
                            data__rules_item__a = data__rules_item["a"]
                            validate___definitions_selector(data__rules_item__a, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].a".format(**locals()))
                        if "b" in data__rules_item_keys:
                            data__rules_item_keys.remove("b")
                            data__rules_item__b = data__rules_item["b"]
                            validate___definitions_selector(data__rules_item__b, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].b".format(**locals()))
                        if "severity" in data__rules_item_keys:
                            data__rules_item_keys.remove("severity")
                            data__rules_item__severity = data__rules_item["severity"]
                            if not (isinstance(data__rules_item__severity, str) and data__rules_item__severity == 'contraindicated' or isinstance(data__rules_item__severity, str) and data__rules_item__severity == 'major' or isinstance(data__rules_item__severity, str) and data__rules_item__severity == 'moderate' or isinstance(data__rules_item__severity, str) and data__rules_item__severity == 'minor'):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].severity".format(**locals()) + " must be one of ['contraindicated', 'major', 'moderate', 'minor']")
                        if "summary" in data__rules_item_keys:
                            data__rules_item_keys.remove("summary")
                            data__rules_item__summary = data__rules_item["summary"]
                            validate___definitions_text(data__rules_item__summary, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].summary".format(**locals()))
                        if "mechanism" in data__rules_item_keys:
                            data__rules_item_keys.remove("mechanism")
                            data__rules_item__mechanism = data__rules_item["mechanism"]
                            validate___definitions_text(data__rules_item__mechanism, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].mechanism".format(**locals()))
                        if "effect" in data__rules_item_keys:
                            data__rules_item_keys.remove("effect")
                            data__rules_item__effect = data__rules_item["effect"]
                            if not isinstance(data__rules_item__effect, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].effect".format(**locals()) + " must be string")
                        if "action" in data__rules_item_keys:
                            data__rules_item_keys.remove("action")
                            data__rules_item__action = data__rules_item["action"]
                            validate___definitions_text(data__rules_item__action, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].action".format(**locals()))
                        if "sources" in data__rules_item_keys:
                            data__rules_item_keys.remove("sources")
                            data__rules_item__sources = data__rules_item["sources"]
                            if not isinstance(data__rules_item__sources, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].sources".format(**locals()) + " must be array")
                            data__rules_item__sources_is_list = isinstance(data__rules_item__sources, (list, tuple))
                            if data__rules_item__sources_is_list:
                                data__rules_item__sources_len = len(data__rules_item__sources)
                                if data__rules_item__sources_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].sources".format(**locals()) + " must contain at least 1 items")
                                for data__rules_item__sources_x, data__rules_item__sources_item in enumerate(data__rules_item__sources):
                                    validate___definitions_source(data__rules_item__sources_item, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].sources[{data__rules_item__sources_x}]".format(**locals()))
                        if "onc" in data__rules_item_keys:
                            data__rules_item_keys.remove("onc")
                            data__rules_item__onc = data__rules_item["onc"]
                            if not isinstance(data__rules_item__onc, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].onc".format(**locals()) + " must be string")
                        if data__rules_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must not contain "+str(data__rules_item_keys)+" properties")
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

def validate___definitions_text(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 3:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 3 characters")
    return data

def validate___definitions_selector(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_any_of_count1 = 0
    if not data_any_of_count1:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['drugs']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
                data_keys = set(data.keys())
                if "drugs" in data_keys:
                    data_keys.remove("drugs")
                    data__drugs = data["drugs"]
                    data__drugs_is_list = isinstance(data__drugs, (list, tuple))
                    if data__drugs_is_list:
                        data__drugs_len = len(data__drugs)
                        if data__drugs_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".drugs must contain at least 1 items")
            data_any_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count1:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['classes']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
                data_keys = set(data.keys())
                if "classes" in data_keys:
                    data_keys.remove("classes")
                    data__classes = data["classes"]
                    data__classes_is_list = isinstance(data__classes, (list, tuple))
                    if data__classes_is_list:
                        data__classes_len = len(data__classes)
                        if data__classes_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes must contain at least 1 items")
            data_any_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " cannot be validated by any definition")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 properties")
        data_keys = set(data.keys())
        if "drugs" in data_keys:
            data_keys.remove("drugs")
            data__drugs = data["drugs"]
            if not isinstance(data__drugs, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".drugs must be array")
            data__drugs_is_list = isinstance(data__drugs, (list, tuple))
            if data__drugs_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__drugs_len = len(data__drugs)
                if data__drugs_len > len(set(fn(data__drugs_x) for data__drugs_x in data__drugs)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".drugs must contain unique items")
                for data__drugs_x, data__drugs_item in enumerate(data__drugs):
                    validate___definitions_name(data__drugs_item, custom_formats, (name_prefix or "data") + ".drugs[{data__drugs_x}]".format(**locals()))
        if "classes" in data_keys:
            data_keys.remove("classes")
            data__classes = data["classes"]
            if not isinstance(data__classes, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes must be array")
            data__classes_is_list = isinstance(data__classes, (list, tuple))
            if data__classes_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__classes_len = len(data__classes)
                if data__classes_len > len(set(fn(data__classes_x) for data__classes_x in data__classes)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes must contain unique items")
                for data__classes_x, data__classes_item in enumerate(data__classes):
                    validate___definitions_class(data__classes_item, custom_formats, (name_prefix or "data") + ".classes[{data__classes_x}]".format(**locals()))
        if "except" in data_keys:
            data_keys.remove("except")
            data__except = data["except"]
            if not isinstance(data__except, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".except must be array")
            data__except_is_list = isinstance(data__except, (list, tuple))
            if data__except_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__except_len = len(data__except)
                if data__except_len > len(set(fn(data__except_x) for data__except_x in data__except)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".except must contain unique items")
                for data__except_x, data__except_item in enumerate(data__except):
                    validate___definitions_name(data__except_item, custom_formats, (name_prefix or "data") + ".except[{data__except_x}]".format(**locals()))
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_class(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z0-9\\-]+$")
    return data

def validate___definitions_name(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z][a-z0-9 \\-/]*$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z][a-z0-9 \\-/]*$")
    return data