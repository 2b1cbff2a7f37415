# Generated from schema/titrations.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = 'a323307d2da6d52cf62ae54f38a443316223b09a7d94c38cc311c3e676665176'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9\\-]+$': re.compile('^[a-z0-9\\-]+\\Z'),
    '^[a-z][a-z0-9 \\-/]*$': re.compile('^[a-z][a-z0-9 \\-/]*\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['templates']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "templates" in data_keys:
            data_keys.remove("templates")
            data__templates = data["templates"]
            if not isinstance(data__templates, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates must be array")
            data__templates_is_list = isinstance(data__templates, (list, tuple))
            if data__templates_is_list:
                data__templates_len = len(data__templates)
                if data__templates_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates must contain at least 1 items")
                for data__templates_x, data__templates_item in enumerate(data__templates):
                    if not isinstance(data__templates_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}]".format(**locals()) + " must be object")
                    data__templates_item_is_dict = isinstance(data__templates_item, dict)
                    if data__templates_item_is_dict:
                        data__templates_item__missing_keys = set(['id', 'drug', 'indication', 'steps', 'target_mg', 'escalation', 'source']) - data__templates_item.keys()
                        if data__templates_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}]".format(**locals()) + " must contain ")
                        data__templates_item_keys = set(data__templates_item.keys())
                        if "id" in data__templates_item_keys:
                            data__templates_item_keys.remove("id")
                            data__templates_item__id = data__templates_item["id"]
                            if not isinstance(data__templates_item__id, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].id".format(**locals()) + " must be string")
                            if isinstance(data__templates_item__id, str):
                                if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data__templates_item__id):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].id".format(**locals()) + " must match pattern ^[a-z0-9\\-]+$")
                        if "drug" in data__templates_item_keys:
                            data__templates_item_keys.remove("drug")
                            data__templates_item__drug = data__templates_item["drug"]
                            validate___definitions_name(data__templates_item__drug, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].drug".format(**locals()))
                        if "indication" in data__templates_item_keys:
                            data__templates_item_keys.remove("indication")
                            data__templates_item__indication = data__templates_item["indication"]
                            if not isinstance(data__templates_item__indication, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].indication".format(**locals()) + " must be string")
                        if "formulation" in data__templates_item_keys:
                            data__templates_item_keys.remove("formulation")
                            data__templates_item__formulation = data__templates_item["formulation"]
                            if not isinstance(data__templates_item__formulation, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].formulation".format(**locals()) + " must be string")
                        if "steps" in data__templates_item_keys:
                            data__templates_item_keys.remove("steps")
                            data__templates_item__steps = data__templates_item["steps"]
                            validate___definitions_steps(data__templates_item__steps, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].steps".format(**locals()))
                        if "target_mg" in data__templates_item_keys:
                            data__templates_item_keys.remove("target_mg")
                            data__templates_item__targetmg = data__templates_item["target_mg"]
                            validate___definitions_dose(data__templates_item__targetmg, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].target_mg".format(**locals()))
                        if "max_mg" in data__templates_item_keys:
                            data__templates_item_keys.remove("max_mg")
                            data__templates_item__maxmg = data__templates_item["max_mg"]
                            validate___definitions_dose(data__templates_item__maxmg, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].max_mg".format(**locals()))
                        if "max_source" in data__templates_item_keys:
                            data__templates_item_keys.remove("max_source")
                            data__templates_item__maxsource = data__templates_item["max_source"]
                            validate___definitions_source(data__templates_item__maxsource, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].max_source".format(**locals()))
                        if "escalation" in data__templates_item_keys:
                            data__templates_item_keys.remove("escalation")
                            data__templates_item__escalation = data__templates_item["escalation"]
                            validate___definitions_escalation(data__templates_item__escalation, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].escalation".format(**locals()))
                        if "ceiling" in data__templates_item_keys:
                            data__templates_item_keys.remove("ceiling")
                            data__templates_item__ceiling = data__templates_item["ceiling"]
                            validate___definitions_ceiling(data__templates_item__ceiling, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].ceiling".format(**locals()))
                        if "notes" in data__templates_item_keys:
                            data__templates_item_keys.remove("notes")
                            data__templates_item__notes = data__templates_item["notes"]
                            if not isinstance(data__templates_item__notes, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].notes".format(**locals()) + " must be array")
                            data__templates_item__notes_is_list = isinstance(data__templates_item__notes, (list, tuple))
                            if data__templates_item__notes_is_list:
                                data__templates_item__notes_len = len(data__templates_item__notes)
                                for data__templates_item__notes_x, data__templates_item__notes_item in enumerate(data__templates_item__notes):
                                    if not isinstance(data__templates_item__notes_item, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].notes[{data__templates_item__notes_x}]".format(**locals()) + " must be string")
                        if "modifiers" in data__templates_item_keys:
                            data__templates_item_keys.remove("modifiers")
                            data__templates_item__modifiers = data__templates_item["modifiers"]
                            if not isinstance(data__templates_item__modifiers, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers".format(**locals()) + " must be array")
                            data__templates_item__modifiers_is_list = isinstance(data__templates_item__modifiers, (list, tuple))
                            if data__templates_item__modifiers_is_list:
                                data__templates_item__modifiers_len = len(data__templates_item__modifiers)
                                for data__templates_item__modifiers_x, data__templates_item__modifiers_item in enumerate(data__templates_item__modifiers):
                                    if not isinstance(data__templates_item__modifiers_item, (dict)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}]".format(**locals()) + " must be object")
                                    try:
                                        data__templates_item__modifiers_item_is_dict = isinstance(data__templates_item__modifiers_item, dict)
                                        if data__templates_item__modifiers_item_is_dict:
                                            data__templates_item__modifiers_item_keys = set(data__templates_item__modifiers_item.keys())
                                            if "effect" in data__templates_item__modifiers_item_keys:
                                                data__templates_item__modifiers_item_keys.remove("effect")
                                                data__templates_item__modifiers_item__effect = data__templates_item__modifiers_item["effect"]
                                                if not (isinstance(data__templates_item__modifiers_item__effect, str) and data__templates_item__modifiers_item__effect == 'scale'):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].effect".format(**locals()) + " must be one of ['scale']")
                                    except (JsonSchemaValueException, JsonSchemaValuesException):
                                        pass
                                    else:
                                        data__templates_item__modifiers_item_is_dict = isinstance(data__templates_item__modifiers_item, dict)
                                        if data__templates_item__modifiers_item_is_dict:
                                            data__templates_item__modifiers_item__missing_keys = set(['dose_factor']) - data__templates_item__modifiers_item.keys()
                                            if data__templates_item__modifiers_item__missing_keys:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}]".format(**locals()) + " must contain ")
                                    try:
                                        data__templates_item__modifiers_item_is_dict = isinstance(data__templates_item__modifiers_item, dict)
                                        if data__templates_item__modifiers_item_is_dict:
                                            data__templates_item__modifiers_item_keys = set(data__templates_item__modifiers_item.keys())
                                            if "effect" in data__templates_item__modifiers_item_keys:
                                                data__templates_item__modifiers_item_keys.remove("effect")
                                                data__templates_item__modifiers_item__effect = data__templates_item__modifiers_item["effect"]
                                                if not (isinstance(data__templates_item__modifiers_item__effect, str) and data__templates_item__modifiers_item__effect == 'replace'):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].effect".format(**locals()) + " must be one of ['replace']")
                                    except (JsonSchemaValueException, JsonSchemaValuesException):
                                        pass
                                    else:
                                        data__templates_item__modifiers_item_is_dict = isinstance(data__templates_item__modifiers_item, dict)
                                        if data__templates_item__modifiers_item_is_dict:
                                            data__templates_item__modifiers_item__missing_keys = set(['steps', 'target_mg', 'escalation']) - data__templates_item__modifiers_item.keys()
                                            if data__templates_item__modifiers_item__missing_keys:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}]".format(**locals()) + " must contain ")
                                    data__templates_item__modifiers_item_is_dict = isinstance(data__templates_item__modifiers_item, dict)
                                    if data__templates_item__modifiers_item_is_dict:
                                        data__templates_item__modifiers_item__missing_keys = set(['id', 'when', 'effect', 'note', 'source']) - data__templates_item__modifiers_item.keys()
                                        if data__templates_item__modifiers_item__missing_keys:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}]".format(**locals()) + " must contain ")
                                        data__templates_item__modifiers_item_keys = set(data__templates_item__modifiers_item.keys())
                                        if "id" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("id")
                                            data__templates_item__modifiers_item__id = data__templates_item__modifiers_item["id"]
                                            if not isinstance(data__templates_item__modifiers_item__id, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].id".format(**locals()) + " must be string")
                                            if isinstance(data__templates_item__modifiers_item__id, str):
                                                if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data__templates_item__modifiers_item__id):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].id".format(**locals()) + " must match pattern ^[a-z0-9\\-]+$")
                                        if "when" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("when")
                                            data__templates_item__modifiers_item__when = data__templates_item__modifiers_item["when"]
                                            validate___definitions_selector(data__templates_item__modifiers_item__when, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].when".format(**locals()))
                                        if "unless" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("unless")
                                            data__templates_item__modifiers_item__unless = data__templates_item__modifiers_item["unless"]
                                            validate___definitions_selector(data__templates_item__modifiers_item__unless, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].unless".format(**locals()))
                                        if "effect" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("effect")
                                            data__templates_item__modifiers_item__effect = data__templates_item__modifiers_item["effect"]
                                            if not (isinstance(data__templates_item__modifiers_item__effect, str) and data__templates_item__modifiers_item__effect == 'scale' or isinstance(data__templates_item__modifiers_item__effect, str) and data__templates_item__modifiers_item__effect == 'replace' or isinstance(data__templates_item__modifiers_item__effect, str) and data__templates_item__modifiers_item__effect == 'note'):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].effect".format(**locals()) + " must be one of ['scale', 'replace', 'note']")
                                        if "dose_factor" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("dose_factor")
                                            data__templates_item__modifiers_item__dosefactor = data__templates_item__modifiers_item["dose_factor"]
                                            if not isinstance(data__templates_item__modifiers_item__dosefactor, (int, float, Decimal)) or isinstance(data__templates_item__modifiers_item__dosefactor, bool):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].dose_factor".format(**locals()) + " must be number")
                                            if isinstance(data__templates_item__modifiers_item__dosefactor, (int, float, Decimal)) and not isinstance(data__templates_item__modifiers_item__dosefactor, bool):
                                                if data__templates_item__modifiers_item__dosefactor <= 0:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].dose_factor".format(**locals()) + " must be bigger than 0")
                                        if "steps" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("steps")
                                            data__templates_item__modifiers_item__steps = data__templates_item__modifiers_item["steps"]
                                            validate___definitions_steps(data__templates_item__modifiers_item__steps, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].steps".format(**locals()))
                                        if "target_mg" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("target_mg")
                                            data__templates_item__modifiers_item__targetmg = data__templates_item__modifiers_item["target_mg"]
                                            validate___definitions_dose(data__templates_item__modifiers_item__targetmg, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].target_mg".format(**locals()))
                                        if "max_mg" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("max_mg")
                                            data__templates_item__modifiers_item__maxmg = data__templates_item__modifiers_item["max_mg"]
                                            validate___definitions_dose(data__templates_item__modifiers_item__maxmg, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].max_mg".format(**locals()))
                                        if "escalation" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("escalation")
                                            data__templates_item__modifiers_item__escalation = data__templates_item__modifiers_item["escalation"]
                                            validate___definitions_escalation(data__templates_item__modifiers_item__escalation, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].escalation".format(**locals()))
                                        if "ceiling" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("ceiling")
                                            data__templates_item__modifiers_item__ceiling = data__templates_item__modifiers_item["ceiling"]
                                            validate___definitions_ceiling(data__templates_item__modifiers_item__ceiling, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].ceiling".format(**locals()))
                                        if "step_notes" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("step_notes")
                                            data__templates_item__modifiers_item__stepnotes = data__templates_item__modifiers_item["step_notes"]
                                            if not isinstance(data__templates_item__modifiers_item__stepnotes, (list, tuple)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].step_notes".format(**locals()) + " must be array")
                                            data__templates_item__modifiers_item__stepnotes_is_list = isinstance(data__templates_item__modifiers_item__stepnotes, (list, tuple))
                                            if data__templates_item__modifiers_item__stepnotes_is_list:
                                                data__templates_item__modifiers_item__stepnotes_len = len(data__templates_item__modifiers_item__stepnotes)
                                                for data__templates_item__modifiers_item__stepnotes_x, data__templates_item__modifiers_item__stepnotes_item in enumerate(data__templates_item__modifiers_item__stepnotes):
                                                    if not isinstance(data__templates_item__modifiers_item__stepnotes_item, (dict)):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].step_notes[{data__templates_item__modifiers_item__stepnotes_x}]".format(**locals()) + " must be object")
                                                    data__templates_item__modifiers_item__stepnotes_item_is_dict = isinstance(data__templates_item__modifiers_item__stepnotes_item, dict)
                                                    if data__templates_item__modifiers_item__stepnotes_item_is_dict:
                                                        data__templates_item__modifiers_item__stepnotes_item__missing_keys = set(['day', 'note']) - data__templates_item__modifiers_item__stepnotes_item.keys()
                                                        if data__templates_item__modifiers_item__stepnotes_item__missing_keys:
                                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].step_notes[{data__templates_item__modifiers_item__stepnotes_x}]".format(**locals()) + " must contain ")
                                                        data__templates_item__modifiers_item__stepnotes_item_keys = set(data__templates_item__modifiers_item__stepnotes_item.keys())
                                                        if "day" in data__templates_item__modifiers_item__stepnotes_item_keys:
                                                            data__templates_item__modifiers_item__stepnotes_item_keys.remove("day")
                                                            data__templates_item__modifiers_item__stepnotes_item__day = data__templates_item__modifiers_item__stepnotes_item["day"]
                                                            if not isinstance(data__templates_item__modifiers_item__stepnotes_item__day, (int)) and not (isinstance(data__templates_item__modifiers_item__stepnotes_item__day, float) and data__templates_item__modifiers_item__stepnotes_item__day.is_integer()) or isinstance(data__templates_item__modifiers_item__stepnotes_item__day, bool):
                                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].step_notes[{data__templates_item__modifiers_item__stepnotes_x}].day".format(**locals()) + " must be integer")
                                                            if isinstance(data__templates_item__modifiers_item__stepnotes_item__day, (int, float, Decimal)) and not isinstance(data__templates_item__modifiers_item__stepnotes_item__day, bool):
                                                                if data__templates_item__modifiers_item__stepnotes_item__day < 0:
                                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].step_notes[{data__templates_item__modifiers_item__stepnotes_x}].day".format(**locals()) + " must be bigger than or equal to 0")
                                                        if "note" in data__templates_item__modifiers_item__stepnotes_item_keys:
                                                            data__templates_item__modifiers_item__stepnotes_item_keys.remove("note")
                                                            data__templates_item__modifiers_item__stepnotes_item__note = data__templates_item__modifiers_item__stepnotes_item["note"]
                                                            if not isinstance(data__templates_item__modifiers_item__stepnotes_item__note, (str)):
                                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].step_notes[{data__templates_item__modifiers_item__stepnotes_x}].note".format(**locals()) + " must be string")
                                                        if data__templates_item__modifiers_item__stepnotes_item_keys:
                                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].step_notes[{data__templates_item__modifiers_item__stepnotes_x}]".format(**locals()) + " must not contain "+str(data__templates_item__modifiers_item__stepnotes_item_keys)+" properties")
                                        if "note" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("note")
                                            data__templates_item__modifiers_item__note = data__templates_item__modifiers_item["note"]
                                            if not isinstance(data__templates_item__modifiers_item__note, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].note".format(**locals()) + " must be string")
                                        if "source" in data__templates_item__modifiers_item_keys:
                                            data__templates_item__modifiers_item_keys.remove("source")
                                            data__templates_item__modifiers_item__source = data__templates_item__modifiers_item["source"]
                                            validate___definitions_source(data__templates_item__modifiers_item__source, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}].source".format(**locals()))
                                        if data__templates_item__modifiers_item_keys:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}].modifiers[{data__templates_item__modifiers_x}]".format(**locals()) + " must not contain "+str(data__templates_item__modifiers_item_keys)+" properties")
                        if "source" in data__templates_item_keys:
                            data__templates_item_keys.remove("source")
                            data__templates_item__source = data__templates_item["source"]
                            validate___definitions_source(data__templates_item__source, custom_formats, (name_prefix or "data") + ".templates[{data__templates_x}].source".format(**locals()))
                        if data__templates_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".templates[{data__templates_x}]".format(**locals()) + " must not contain "+str(data__templates_item_keys)+" properties")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_selector(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['drugs']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "drugs" in data_keys:
            data_keys.remove("drugs")
            data__drugs = data["drugs"]
            if not isinstance(data__drugs, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".drugs must be array")
            data__drugs_is_list = isinstance(data__drugs, (list, tuple))
            if data__drugs_is_list:
                data__drugs_len = len(data__drugs)
                if data__drugs_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".drugs must contain at least 1 items")
                for data__drugs_x, data__drugs_item in enumerate(data__drugs):
                    validate___definitions_name(data__drugs_item, custom_formats, (name_prefix or "data") + ".drugs[{data__drugs_x}]".format(**locals()))
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_ceiling(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['step_mg', 'interval_days', 'source']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "steps" in data_keys:
            data_keys.remove("steps")
            data__steps = data["steps"]
            validate___definitions_steps(data__steps, custom_formats, (name_prefix or "data") + ".steps")
        if "step_mg" in data_keys:
            data_keys.remove("step_mg")
            data__stepmg = data["step_mg"]
            validate___definitions_dose(data__stepmg, custom_formats, (name_prefix or "data") + ".step_mg")
        if "interval_days" in data_keys:
            data_keys.remove("interval_days")
            data__intervaldays = data["interval_days"]
            if not isinstance(data__intervaldays, (int)) and not (isinstance(data__intervaldays, float) and data__intervaldays.is_integer()) or isinstance(data__intervaldays, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval_days must be integer")
            if isinstance(data__intervaldays, (int, float, Decimal)) and not isinstance(data__intervaldays, bool):
                if data__intervaldays < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval_days must be bigger than or equal to 1")
        if "source" in data_keys:
            data_keys.remove("source")
            data__source = data["source"]
            validate___definitions_source(data__source, custom_formats, (name_prefix or "data") + ".source")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_escalation(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['step_mg', 'interval_days', 'min_interval_days', 'source']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "step_mg" in data_keys:
            data_keys.remove("step_mg")
            data__stepmg = data["step_mg"]
            validate___definitions_dose(data__stepmg, custom_formats, (name_prefix or "data") + ".step_mg")
        if "interval_days" in data_keys:
            data_keys.remove("interval_days")
            data__intervaldays = data["interval_days"]
            if not isinstance(data__intervaldays, (int)) and not (isinstance(data__intervaldays, float) and data__intervaldays.is_integer()) or isinstance(data__intervaldays, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval_days must be integer")
            if isinstance(data__intervaldays, (int, float, Decimal)) and not isinstance(data__intervaldays, bool):
                if data__intervaldays < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval_days must be bigger than or equal to 1")
        if "max_step_mg" in data_keys:
            data_keys.remove("max_step_mg")
            data__maxstepmg = data["max_step_mg"]
            validate___definitions_dose(data__maxstepmg, custom_formats, (name_prefix or "data") + ".max_step_mg")
        if "min_interval_days" in data_keys:
            data_keys.remove("min_interval_days")
            data__minintervaldays = data["min_interval_days"]
            if not isinstance(data__minintervaldays, (int)) and not (isinstance(data__minintervaldays, float) and data__minintervaldays.is_integer()) or isinstance(data__minintervaldays, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".min_interval_days must be integer")
            if isinstance(data__minintervaldays, (int, float, Decimal)) and not isinstance(data__minintervaldays, bool):
                if data__minintervaldays < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".min_interval_days must be bigger than or equal to 1")
        if "source" in data_keys:
            data_keys.remove("source")
            data__source = data["source"]
            validate___definitions_source(data__source, custom_formats, (name_prefix or "data") + ".source")
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

def validate___definitions_dose(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (int, float, Decimal)) or isinstance(data, bool):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be number")
    if isinstance(data, (int, float, Decimal)) and not isinstance(data, bool):
        if data <= 0:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be bigger than 0")
    return data

def validate___definitions_steps(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array")
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 items")
        for data_x, data_item in enumerate(data):
            if not isinstance(data_item, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be object")
            data_item_is_dict = isinstance(data_item, dict)
            if data_item_is_dict:
                data_item__missing_keys = set(['day', 'dose_mg']) - data_item.keys()
                if data_item__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must contain ")
                data_item_keys = set(data_item.keys())
                if "day" in data_item_keys:
                    data_item_keys.remove("day")
                    data_item__day = data_item["day"]
                    if not isinstance(data_item__day, (int)) and not (isinstance(data_item__day, float) and data_item__day.is_integer()) or isinstance(data_item__day, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}].day".format(**locals()) + " must be integer")
                    if isinstance(data_item__day, (int, float, Decimal)) and not isinstance(data_item__day, bool):
                        if data_item__day < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}].day".format(**locals()) + " must be bigger than or equal to 0")
                if "dose_mg" in data_item_keys:
                    data_item_keys.remove("dose_mg")
                    data_item__dosemg = data_item["dose_mg"]
                    validate___definitions_dose(data_item__dosemg, custom_formats, (name_prefix or "data") + "[{data_x}].dose_mg".format(**locals()))
                if "note" in data_item_keys:
                    data_item_keys.remove("note")
                    data_item__note = data_item["note"]
                    if not isinstance(data_item__note, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}].note".format(**locals()) + " must be string")
                if data_item_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must not contain "+str(data_item_keys)+" properties")
    return data

def validate___definitions_name(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z][a-z0-9 \\-/]*$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z][a-z0-9 \\-/]*$")
    return data