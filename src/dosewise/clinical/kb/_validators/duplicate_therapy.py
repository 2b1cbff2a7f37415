# Generated from schema/duplicate_therapy.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = '6fbe369e54bbaaf7dd183105aecbfd6de5418b5a92315afe18310c6afec87530'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9][a-z0-9\\-]*$': re.compile('^[a-z0-9][a-z0-9\\-]*\\Z'),
    '^[a-z][a-z0-9 \\-/]*$': re.compile('^[a-z][a-z0-9 \\-/]*\\Z'),
    '^[a-z0-9\\-]+$': re.compile('^[a-z0-9\\-]+\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['groups']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "groups" in data_keys:
            data_keys.remove("groups")
            data__groups = data["groups"]
            if not isinstance(data__groups, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups must be array")
            data__groups_is_list = isinstance(data__groups, (list, tuple))
            if data__groups_is_list:
                data__groups_len = len(data__groups)
                for data__groups_x, data__groups_item in enumerate(data__groups):
                    if not isinstance(data__groups_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}]".format(**locals()) + " must be object")
                    data__groups_item_any_of_count1 = 0
                    if not data__groups_item_any_of_count1:
                        try:
                            data__groups_item_is_dict = isinstance(data__groups_item, dict)
                            if data__groups_item_is_dict:
                                data__groups_item_keys = set(data__groups_item.keys())
                                if "classes" in data__groups_item_keys:
                                    data__groups_item_keys.remove("classes")
                                    data__groups_item__classes = data__groups_item["classes"]
                                    data__groups_item__classes_is_list = isinstance(data__groups_item__classes, (list, tuple))
                                    if data__groups_item__classes_is_list:
                                        data__groups_item__classes_len = len(data__groups_item__classes)
                                        if data__groups_item__classes_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].classes".format(**locals()) + " must contain at least 1 items")
                            data__groups_item_any_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if not data__groups_item_any_of_count1:
                        try:
                            data__groups_item_is_dict = isinstance(data__groups_item, dict)
                            if data__groups_item_is_dict:
                                data__groups_item__missing_keys = set(['drugs']) - data__groups_item.keys()
                                if data__groups_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}]".format(**locals()) + " must contain ")
                                data__groups_item_keys = set(data__groups_item.keys())
                                if "drugs" in data__groups_item_keys:
                                    data__groups_item_keys.remove("drugs")
                                    data__groups_item__drugs = data__groups_item["drugs"]
                                    data__groups_item__drugs_is_list = isinstance(data__groups_item__drugs, (list, tuple))
                                    if data__groups_item__drugs_is_list:
                                        data__groups_item__drugs_len = len(data__groups_item__drugs)
                                        if data__groups_item__drugs_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].drugs".format(**locals()) + " must contain at least 1 items")
                            data__groups_item_any_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if not data__groups_item_any_of_count1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}]".format(**locals()) + " cannot be validated by any definition")
                    data__groups_item_is_dict = isinstance(data__groups_item, dict)
                    if data__groups_item_is_dict:
                        data__groups_item__missing_keys = set(['id', 'classes', 'severity', 'summary', 'action', 'sources']) - data__groups_item.keys()
                        if data__groups_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}]".format(**locals()) + " must contain ")
                        data__groups_item_keys = set(data__groups_item.keys())
                        if "id" in data__groups_item_keys:
                            data__groups_item_keys.remove("id")
                            data__groups_item__id = data__groups_item["id"]
                            if not isinstance(data__groups_item__id, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].id".format(**locals()) + " must be string")
                            if isinstance(data__groups_item__id, str):
                                if not REGEX_PATTERNS['^[a-z0-9][a-z0-9\\-]*$'].search(data__groups_item__id):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].id".format(**locals()) + " must match pattern ^[a-z0-9][a-z0-9\\-]*$")
                        if "classes" in data__groups_item_keys:
                            data__groups_item_keys.remove("classes")
                            data__groups_item__classes = data__groups_item["classes"]
                            if not isinstance(data__groups_item__classes, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].classes".format(**locals()) + " must be array")
                            data__groups_item__classes_is_list = isinstance(data__groups_item__classes, (list, tuple))
                            if data__groups_item__classes_is_list:
                                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                data__groups_item__classes_len = len(data__groups_item__classes)
                                if data__groups_item__classes_len > len(set(fn(data__groups_item__classes_x) for data__groups_item__classes_x in data__groups_item__classes)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].classes".format(**locals()) + " must contain unique items")
                                for data__groups_item__classes_x, data__groups_item__classes_item in enumerate(data__groups_item__classes):
                                    validate___definitions_class(data__groups_item__classes_item, custom_formats, (name_prefix or "data") + ".groups[{data__groups_x}].classes[{data__groups_item__classes_x}]".format(**locals()))
                        if "drugs" in data__groups_item_keys:
                            data__groups_item_keys.remove("drugs")
                            data__groups_item__drugs = data__groups_item["drugs"]
                            if not isinstance(data__groups_item__drugs, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].drugs".format(**locals()) + " must be array")
                            data__groups_item__drugs_is_list = isinstance(data__groups_item__drugs, (list, tuple))
                            if data__groups_item__drugs_is_list:
                                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                data__groups_item__drugs_len = len(data__groups_item__drugs)
                                if data__groups_item__drugs_len > len(set(fn(data__groups_item__drugs_x) for data__groups_item__drugs_x in data__groups_item__drugs)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].drugs".format(**locals()) + " must contain unique items")
                                for data__groups_item__drugs_x, data__groups_item__drugs_item in enumerate(data__groups_item__drugs):
                                    validate___definitions_name(data__groups_item__drugs_item, custom_formats, (name_prefix or "data") + ".groups[{data__groups_x}].drugs[{data__groups_item__drugs_x}]".format(**locals()))
                        if "except" in data__groups_item_keys:
                            data__groups_item_keys.remove("except")
                            data__groups_item__except = data__groups_item["except"]
                            if not isinstance(data__groups_item__except, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].except".format(**locals()) + " must be array")
                            data__groups_item__except_is_list = isinstance(data__groups_item__except, (list, tuple))
                            if data__groups_item__except_is_list:
                                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                data__groups_item__except_len = len(data__groups_item__except)
                                if data__groups_item__except_len > len(set(fn(data__groups_item__except_x) for data__groups_item__except_x in data__groups_item__except)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].except".format(**locals()) + " must contain unique items")
                                for data__groups_item__except_x, data__groups_item__except_item in enumerate(data__groups_item__except):
                                    validate___definitions_name(data__groups_item__except_item, custom_formats, (name_prefix or "data") + ".groups[{data__groups_x}].except[{data__groups_item__except_x}]".format(**locals()))
                        if "severity" in data__groups_item_keys:
                            data__groups_item_keys.remove("severity")
                            data__groups_item__severity = data__groups_item["severity"]
                            if not (isinstance(data__groups_item__severity, str) and data__groups_item__severity == 'contraindicated' or isinstance(data__groups_item__severity, str) and data__groups_item__severity == 'major' or isinstance(data__groups_item__severity, str) and data__groups_item__severity == 'moderate' or isinstance(data__groups_item__severity, str) and data__groups_item__severity == 'minor'):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].severity".format(**locals()) + " must be one of ['contraindicated', 'major', 'moderate', 'minor']")
                        if "summary" in data__groups_item_keys:
                            data__groups_item_keys.remove("summary")
                            data__groups_item__summary = data__groups_item["summary"]
                            if not isinstance(data__groups_item__summary, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].summary".format(**locals()) + " must be string")
                            if isinstance(data__groups_item__summary, str):
                                data__groups_item__summary_len = len(data__groups_item__summary)
                                if data__groups_item__summary_len < 3:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].summary".format(**locals()) + " must be longer than or equal to 3 characters")
                        if "mechanism" in data__groups_item_keys:
                            data__groups_item_keys.remove("mechanism")
                            data__groups_item__mechanism = data__groups_item["mechanism"]
                            if not isinstance(data__groups_item__mechanism, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].mechanism".format(**locals()) + " must be string")
                            if isinstance(data__groups_item__mechanism, str):
                                data__groups_item__mechanism_len = len(data__groups_item__mechanism)
                                if data__groups_item__mechanism_len < 3:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].mechanism".format(**locals()) + " must be longer than or equal to 3 characters")
                        if "action" in data__groups_item_keys:
                            data__groups_item_keys.remove("action")
                            data__groups_item__action = data__groups_item["action"]
                            if not isinstance(data__groups_item__action, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].action".format(**locals()) + " must be string")
                            if isinstance(data__groups_item__action, str):
                                data__groups_item__action_len = len(data__groups_item__action)
                                if data__groups_item__action_len < 3:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].action".format(**locals()) + " must be longer than or equal to 3 characters")
                        if "sources" in data__groups_item_keys:
                            data__groups_item_keys.remove("sources")
                            data__groups_item__sources = data__groups_item["sources"]
                            if not isinstance(data__groups_item__sources, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].sources".format(**locals()) + " must be array")
                            data__groups_item__sources_is_list = isinstance(data__groups_item__sources, (list, tuple))
                            if data__groups_item__sources_is_list:
                                data__groups_item__sources_len = len(data__groups_item__sources)
                                if data__groups_item__sources_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}].sources".format(**locals()) + " must contain at least 1 items")
                                for data__groups_item__sources_x, data__groups_item__sources_item in enumerate(data__groups_item__sources):
                                    validate___definitions_source(data__groups_item__sources_item, custom_formats, (name_prefix or "data") + ".groups[{data__groups_x}].sources[{data__groups_item__sources_x}]".format(**locals()))
                        if data__groups_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".groups[{data__groups_x}]".format(**locals()) + " must not contain "+str(data__groups_item_keys)+" properties")
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

def validate___definitions_name(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z][a-z0-9 \\-/]*$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z][a-z0-9 \\-/]*$")
    return data

def validate___definitions_class(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z0-9\\-]+$")
    return data